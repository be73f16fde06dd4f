// @sochdb/vector public surface: filled in by its issue.
export {};
