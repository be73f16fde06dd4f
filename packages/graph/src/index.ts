// @sochdb/graph public surface: filled in by its issue.
export {};
