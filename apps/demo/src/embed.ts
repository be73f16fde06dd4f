// A stand-in embedding so the demo runs offline with no model: words are hashed into a
// fixed-size vector (feature hashing) and the vector is normalized. Texts that share words get
// similar vectors. A real application passes its model's embeddings instead.
export const DIMENSION = 64;

export function embed(text: string): number[] {
  const v = new Array<number>(DIMENSION).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % DIMENSION]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
