import { recognizers } from '../../src/pii';

const {
  emailRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  urlRecognizer,
  dateTimeRecognizer,
  createPhoneRecognizer,
  luhnValid,
  ibanValid,
  ssnValid,
} = recognizers;

const values = (r: { find(t: string): { start: number; end: number }[] }, text: string): string[] =>
  r.find(text).map((s) => text.slice(s.start, s.end));

describe('email', () => {
  it('finds addresses with their exact offsets', () => {
    expect(values(emailRecognizer, 'Mail MarieHamanova@armyspy.com or j.doe+x@mail.co.uk.')).toEqual([
      'MarieHamanova@armyspy.com',
      'j.doe+x@mail.co.uk',
    ]);
  });
  it('ignores handles and bare @ signs', () => {
    expect(values(emailRecognizer, 'ping @paulwalk at 5 @ noon, user@localhost')).toEqual([]);
  });
});

describe('credit card', () => {
  it('validates Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('finds grouped and ungrouped card numbers with known prefixes', () => {
    const text = 'card 4111 1111 1111 1111, amex 378282246310005 and mc 5555-5555-5555-4444';
    expect(values(creditCardRecognizer, text)).toEqual([
      '4111 1111 1111 1111',
      '378282246310005',
      '5555-5555-5555-4444',
    ]);
  });
  it('rejects numbers that fail Luhn, unknown prefixes and mixed separators', () => {
    expect(values(creditCardRecognizer, 'order 4111111111111112 ref 9111111111111111')).toEqual([]);
    expect(values(creditCardRecognizer, '4111 1111-1111 1111')).toEqual([]);
  });
});

describe('IBAN', () => {
  it('checks mod-97 and the country length', () => {
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ibanValid('GB82WEST1234569876543')).toBe(false); // one short for GB
    expect(ibanValid('DE89370400440532013000')).toBe(true);
  });
  it('finds compact and grouped IBANs and stops before trailing words', () => {
    const text = 'send to DE89 3704 0044 0532 0130 00 please, or GB82WEST12345698765432.';
    expect(values(ibanRecognizer, text)).toEqual(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432']);
  });
});

describe('US SSN', () => {
  it('rejects invalid areas, groups, serials and known fakes', () => {
    expect(ssnValid('536225478')).toBe(true);
    for (const bad of [
      '000225478',
      '666225478',
      '936225478',
      '536005478',
      '536220000',
      '078051120',
      '123456789',
    ])
      expect(ssnValid(bad)).toBe(false);
  });
  it('scores dashed SSNs above bare nine-digit runs', () => {
    const [dashed] = usSsnRecognizer.find('SSN 536-22-5478');
    const [bare] = usSsnRecognizer.find('number 536225478');
    expect(dashed!.score).toBeGreaterThan(bare!.score);
    expect(values(usSsnRecognizer, 'area 666-12-3456 and 900-12-3456')).toEqual([]);
  });
});

describe('IP address', () => {
  it('finds v4 and v6 and validates octets', () => {
    const text =
      'from 192.168.1.20 and 6e40:4041:c617:e898:c11:40d2:c669:2eb4, also ::1 and fe80::1ff:fe23:4567:890a';
    expect(values(ipAddressRecognizer, text)).toEqual([
      '192.168.1.20',
      '6e40:4041:c617:e898:c11:40d2:c669:2eb4',
      'fe80::1ff:fe23:4567:890a',
    ]);
    expect(values(ipAddressRecognizer, 'octets 300.1.2.3, time 12:30:45, version 1.2.3')).toEqual([]);
  });
});

describe('URL', () => {
  it('finds scheme, www and bare domains, trimming sentence punctuation', () => {
    const text = 'See https://example.com/a?b=1, www.test.org and LostMillions.com.pt.';
    expect(values(urlRecognizer, text)).toEqual([
      'https://example.com/a?b=1',
      'www.test.org',
      'LostMillions.com.pt',
    ]);
  });
  it('leaves file names and versions alone', () => {
    expect(values(urlRecognizer, 'edit index.md and main.rs, run v1.2.3')).toEqual([]);
  });
});

describe('DATE_TIME patterns', () => {
  it('finds unambiguous dates and rejects impossible ones', () => {
    const text = 'born 1978-04-13 12:20:39, on 2/19/1956 and March 3, 2021; not 13/45/2020 or 2020-13-01';
    expect(values(dateTimeRecognizer, text)).toEqual(['1978-04-13 12:20:39', '2/19/1956', 'March 3, 2021']);
  });
});

describe('phone', () => {
  const phone = createPhoneRecognizer();
  it('finds numbers in several national formats and international ones', () => {
    const text = 'Call 905-674-3793, +44 20 7946 0958, 0680 298 70 63 or +1-903-140-4508x769.';
    expect(values(phone, text)).toEqual([
      '905-674-3793',
      '+44 20 7946 0958',
      '0680 298 70 63',
      '+1-903-140-4508x769',
    ]);
  });
  it('does not read ISBNs, versions or dates as phone numbers', () => {
    const found = phone
      .find('ISBN 978-3-16-148410-0, version 10.2.3.4, 2021-03-04')
      .filter((s) => s.score >= 0.5);
    expect(found).toEqual([]);
  });
});
