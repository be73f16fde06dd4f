// @sochdb/temporal public surface: filled in by its issue.
export {};
