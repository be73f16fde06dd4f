// @sochdb/queue public surface: filled in by its issue.
export {};
