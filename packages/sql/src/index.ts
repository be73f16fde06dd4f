// @sochdb/sql public surface: filled in by its issue.
export {};
