// @sochdb/sdk public surface: filled in by its issue.
export {};
