// @sochdb/kv public surface: filled in by its issue.
export {};
