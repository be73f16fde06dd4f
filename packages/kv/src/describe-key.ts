/** A key as error messages show it: quoted text when it is printable ASCII, else hex. */
export function describeKey(key: Uint8Array | string): string {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return isPrintable(bytes) ? JSON.stringify(bytes.toString('utf8')) : `0x${bytes.toString('hex')}`;
}

/** The key as an error's `field`: the text itself when printable, else hex. */
export function keyField(key: Buffer): string {
  return isPrintable(key) ? key.toString('utf8') : `0x${key.toString('hex')}`;
}

function isPrintable(bytes: Buffer): boolean {
  return /^[\x20-\x7e]*$/.test(bytes.toString('latin1'));
}
