import type { Faker } from '@faker-js/faker' with { 'resolution-mode': 'import' };
import type { PiiExample } from './datasets';
import { templateKey } from './datasets';
import type { LabelledSpan } from './labels';

/** Locales sampled for fake values, weighted towards English like presidio's own data. */
export const FAKER_LOCALES = [
  'en_US',
  'en_US',
  'en_US',
  'en_GB',
  'en_AU',
  'en_CA',
  'en_IE',
  'en_IN',
  'en_NG',
  'en_ZA',
  'de',
  'de_AT',
  'de_CH',
  'fr',
  'fr_CA',
  'es',
  'es_MX',
  'it',
  'nl',
  'pt_BR',
  'pt_PT',
  'pl',
  'sv',
  'nb_NO',
  'fi',
  'da',
  'cs_CZ',
  'sk',
  'hu',
  'ro',
  'hr',
  'sl_SI',
  'lv',
  'tr',
  'el',
  'ru',
  'uk',
  'he',
  'vi',
  'id_ID',
  'ja',
  'ko',
  'zh_CN',
  'af_ZA',
  'yo_NG',
] as const;

type Fill = { value: string; type?: string };

// A value generator per presidio placeholder; `type` undefined means the value is not one of our
// entity types (AGE, TITLE, NRP, ZIP_CODE, driver licence) and stays unlabelled.
function filler(f: Faker, rnd: () => number, pools?: PresidioPools): Record<string, () => Fill> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  // A sentence draws either from faker or from presidio's own generator pools (FakeNameGenerator
  // identities, its company list), as presidio-research's generator does.
  const rec = pools && rnd() < 0.4 ? pick(pools.identities) : undefined;
  const firstName = (sex?: 'male' | 'female'): string => rec?.given ?? f.person.firstName(sex);
  const lastName = (sex?: 'male' | 'female'): string => rec?.surname ?? f.person.lastName(sex);
  const fullName = (sex?: 'male' | 'female'): string => {
    const first = firstName(sex);
    const last = lastName(sex);
    const r = rnd();
    const initial = rec?.middle || String.fromCharCode(65 + Math.floor(rnd() * 26));
    if (r < 0.15) return `${first} ${initial}. ${last}`;
    if (r < 0.25) return `${first} ${initial} ${last}`;
    if (!rec && r < 0.6) return f.person.fullName(sex ? { sex } : {});
    return `${first} ${last}`;
  };
  const city = (): string => {
    const c = rec?.city ?? f.location.city();
    return rnd() < 0.15 ? c.toUpperCase() : c;
  };
  const country = (): string => rec?.country ?? f.location.country();
  const street = (): string => rec?.street ?? f.location.streetAddress(false);
  const company = (): string =>
    pools && rnd() < 0.4 ? pick(pools.companies) : (rec?.company ?? f.company.name());
  const address = (): string => {
    const r = rnd();
    if (r < 0.25) {
      // presidio-research's own address layout: number, street, unit, city, state, country, postcode
      const sep = rnd() < 0.5 ? '\n' : ' ';
      return `${f.location.buildingNumber()} ${street()}${rnd() < 0.6 ? ' ' + f.location.secondaryAddress() : ''}${sep}${city()}${sep}${rnd() < 0.5 ? ', ' + (rec?.state || f.location.state({ abbreviated: true })) + sep : ''} ${country()} ${rec?.zip ?? f.location.zipCode()}`;
    }
    if (r < 0.35)
      return `${f.location.streetAddress(rnd() < 0.4)}, ${city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode()}`;
    if (r < 0.6)
      return `${f.location.buildingNumber()} ${f.location.street()}\n ${f.location.secondaryAddress()}\n ${city()}\n ${f.location.country()} ${f.location.zipCode()}`;
    if (r < 0.8) return `${f.location.streetAddress(rnd() < 0.5)}\n${city()}, ${f.location.zipCode()}`;
    if (r < 0.9) return `the corner of ${f.location.street()} and ${f.location.street()}`;
    return f.location.streetAddress(true);
  };
  const person = (): Fill => ({ value: fullName(), type: 'PERSON' });
  const nat = (): PresidioPools['nationalities'][number] | undefined =>
    pools && pools.nationalities.length > 0 ? pick(pools.nationalities) : undefined;
  const cap = (w: string): string =>
    w.replace(/(^|[\s-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
  const date = (): string => {
    const d = f.date.between({ from: '1930-01-01', to: '2030-12-31' });
    const r = rnd();
    if (r < 0.3) return `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()}`;
    if (r < 0.5) return d.toISOString().slice(0, 19).replace('T', ' ');
    if (r < 0.7) return d.toISOString().slice(0, 10);
    if (r < 0.85) return `${d.getDate()} ${d.toLocaleString('en-US', { month: 'long' })} ${d.getFullYear()}`;
    return `${d.toLocaleString('en-US', { month: 'long' })} ${d.getDate()}, ${d.getFullYear()}`;
  };
  return {
    person,
    name: person,
    name_male: () => ({ value: fullName('male'), type: 'PERSON' }),
    name_female: () => ({ value: fullName('female'), type: 'PERSON' }),
    first_name: () => ({ value: firstName(), type: 'PERSON' }),
    first_name_male: () => ({ value: firstName('male'), type: 'PERSON' }),
    first_name_female: () => ({ value: firstName('female'), type: 'PERSON' }),
    first_name_nonbinary: () => ({ value: firstName(), type: 'PERSON' }),
    last_name: () => ({ value: lastName(), type: 'PERSON' }),
    last_name_male: () => ({ value: lastName('male'), type: 'PERSON' }),
    last_name_female: () => ({ value: lastName('female'), type: 'PERSON' }),
    prefix: () => ({ value: f.person.prefix() }),
    prefix_male: () => ({ value: f.person.prefix('male') }),
    prefix_female: () => ({ value: f.person.prefix('female') }),
    organization: () => ({ value: company(), type: 'ORGANIZATION' }),
    address: () => ({ value: address(), type: 'STREET_ADDRESS' }),
    street_name: () => ({
      value: rec?.street.replace(/^\d+\s+|\s+\d+$/g, '') ?? f.location.street(),
      type: 'STREET_ADDRESS',
    }),
    building_number: () => ({ value: f.location.buildingNumber(), type: 'STREET_ADDRESS' }),
    secondary_address: () => ({ value: f.location.secondaryAddress(), type: 'STREET_ADDRESS' }),
    postcode: () => ({ value: f.location.zipCode(), type: 'STREET_ADDRESS' }),
    zipcode: () => ({ value: f.location.zipCode() }),
    city: () => ({ value: city(), type: 'LOCATION' }),
    country: () => ({ value: country(), type: 'LOCATION' }),
    state_abbr: () => ({ value: f.location.state({ abbreviated: true }), type: 'LOCATION' }),
    // Demonyms are NRP in presidio, not one of our types: they teach the tagger that "Egyptian"
    // or "French" is not a LOCATION.
    nationality: () => ({ value: cap(nat()?.nationality ?? 'Dutch') }),
    nation_woman: () => ({ value: `${cap(nat()?.woman ?? 'French')} woman` }),
    nation_plural: () => ({ value: cap(nat()?.plural ?? 'Germans') }),
    year: () => ({ value: String(f.number.int({ min: 1900, max: 2030 })), type: 'DATE_TIME' }),
    date_of_birth: () => ({ value: date(), type: 'DATE_TIME' }),
    date_time: () => ({ value: date(), type: 'DATE_TIME' }),
    day_of_week: () => ({ value: f.date.weekday(), type: 'DATE_TIME' }),
    age: () => ({ value: String(f.number.int({ min: 18, max: 95 })) }),
    job: () => ({ value: f.person.jobTitle() }),
    email: () => ({ value: f.internet.email(), type: 'EMAIL_ADDRESS' }),
    url: () => ({ value: f.internet.domainName(), type: 'URL' }),
    phone_number: () => ({
      value: f.phone.number({ style: rnd() < 0.3 ? 'international' : 'human' }),
      type: 'PHONE_NUMBER',
    }),
    credit_card_number: () => ({ value: f.finance.creditCardNumber(), type: 'CREDIT_CARD' }),
    iban: () => ({ value: f.finance.iban({ formatted: rnd() < 0.3 }), type: 'IBAN_CODE' }),
    ssn: () => ({
      value: `${f.number.int({ min: 100, max: 665 })}-${f.number.int({ min: 10, max: 99 })}-${f.number.int({ min: 1000, max: 9999 })}`,
      type: 'US_SSN',
    }),
    ip_address: () => ({ value: rnd() < 0.7 ? f.internet.ipv4() : f.internet.ipv6(), type: 'IP_ADDRESS' }),
    us_driver_license: () => ({ value: f.string.alphanumeric({ length: 9, casing: 'upper' }) }),
  };
}

/** Deterministic PRNG (mulberry32) so a training run is reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values from presidio-research's generator data (raw_data/), mixed with faker's. */
export interface PresidioPools {
  identities: {
    given: string;
    middle: string;
    surname: string;
    street: string;
    city: string;
    state: string;
    zip: string;
    country: string;
    company: string;
  }[];
  companies: string[];
  nationalities: { nationality: string; woman: string; plural: string }[];
}

const PLACEHOLDER = /\{\{?\s*(\w+)\s*\}?\}/g;

/** Fills one template with values from one faker, recording each labelled value's span. */
export function fillTemplate(
  template: string,
  f: Faker,
  rnd: () => number,
  pools?: PresidioPools,
  lowerCaseRatio = 0.05,
): PiiExample {
  const fills = filler(f, rnd, pools);
  const tpl = template.replace(/\\n/g, '\n').replace(/\\,/g, ',');
  let text = '';
  const spans: LabelledSpan[] = [];
  let last = 0;
  for (const m of tpl.matchAll(PLACEHOLDER)) {
    text += tpl.slice(last, m.index);
    const gen = fills[m[1]!.toLowerCase()];
    const fill = gen ? gen() : { value: m[0] };
    const start = text.length;
    text += fill.value;
    if (fill.type) spans.push({ type: fill.type, start, end: text.length });
    last = m.index + m[0].length;
  }
  text += tpl.slice(last);
  if (rnd() < lowerCaseRatio) text = text.toLowerCase(); // presidio lower-cases ~5% of its sentences too
  return { text, spans, source: 'faker-templates', key: templateKey(template) };
}

/**
 * Generates `count` sentences from the given templates with faker values in many locales. Faker is
 * ESM-only, so it is loaded with a dynamic import (training code only; run time never needs it).
 */
export async function generateFakerSentences(
  templates: readonly string[],
  count: number,
  seed = 7,
  pools?: PresidioPools,
): Promise<PiiExample[]> {
  const { allFakers } = await import('@faker-js/faker');
  const rnd = mulberry32(seed);
  const out: PiiExample[] = [];
  for (let i = 0; i < count; i++) {
    const locale = FAKER_LOCALES[Math.floor(rnd() * FAKER_LOCALES.length)]!;
    const f = allFakers[locale];
    f.seed(Math.floor(rnd() * 2 ** 31));
    const template = templates[Math.floor(rnd() * templates.length)]!;
    try {
      out.push(fillTemplate(template, f, rnd, pools));
    } catch {
      // Some locales lack a category (e.g. name prefixes); fall back to English for that sentence.
      out.push(fillTemplate(template, allFakers.en_US, rnd, pools));
    }
  }
  return out;
}
