export { emailRecognizer } from './email';
export { creditCardRecognizer, luhnValid, knownIssuer } from './credit-card';
export { ibanRecognizer, ibanValid, IBAN_LENGTHS } from './iban';
export { usSsnRecognizer, ssnValid } from './us-ssn';
export { ipAddressRecognizer } from './ip-address';
export { urlRecognizer } from './url';
export { dateTimeRecognizer } from './date-time';
export { createPhoneRecognizer, DEFAULT_PHONE_REGIONS } from './phone';
