// @sochdb/core public surface: filled in by its issue.
export {};
