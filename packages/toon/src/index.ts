// @sochdb/toon public surface: filled in by its issue.
export {};
