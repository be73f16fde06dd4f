// madge ships no types; the test casts what it imports to its own `Madge` type, so an opaque
// module declaration is all the type-check needs.
declare module 'madge';
