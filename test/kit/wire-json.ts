/**
 * Decoded JSON as it crossed the wire (request bodies, card JSON) in the fakes' records. Tests
 * read it field by field the way the platforms' docs describe it, so it is left untyped on
 * purpose, in this one place.
 */
// biome-ignore lint/suspicious/noExplicitAny: decoded wire JSON, read field by field by tests
export type WireJson = any;
