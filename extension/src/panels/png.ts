// A PNG export as the page sends it (a data URL) turned into the file's bytes, checked: no
// VS Code import, so the check is tested in Node.

/** The bytes of a `data:image/png;base64,…` URL that holds a PNG (its signature checked), else undefined. */
export function pngBytes(data: string): Buffer | undefined {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
  const bytes = m ? Buffer.from(m[1], 'base64') : undefined;
  return bytes && bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a ? bytes : undefined;
}
