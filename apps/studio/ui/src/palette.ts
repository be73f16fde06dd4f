// Colours for chart series and graph node types: distinct, readable on white.
export const PALETTE: readonly string[] = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];
