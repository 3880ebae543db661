export { startApolloSandbox, type ApolloSandbox, type ApolloSandboxOptions, type FailureInjection } from './server.js';
export { generateSyntheticPeople, MESSY_CASES, LOCKED_EMAIL, type MessyCase, type SyntheticPerson } from './synthetic-people.js';
export { toMatchRecord, toSearchRecord } from './records.js';
