import sharp from "sharp";

/**
 * A 512×512 PNG of a vermilion seal: a red square with a carved border and a lattice of strokes,
 * drawn pixel by pixel so the demo ships no binary file.
 */
export async function drawSealPng(): Promise<Buffer> {
  const size = 512;
  const paper = [0xf4, 0xec, 0xd8, 0xff];
  const vermilion = [0xc8, 0x35, 0x2a, 0xff];
  const rgba = Buffer.alloc(size * size * 4);
  for (let pixel = 0; pixel < size * size; pixel += 1) rgba.set(paper, pixel * 4);
  const inSeal = (x: number, y: number) => x >= 96 && x < 416 && y >= 96 && y < 416;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (!inSeal(x, y)) continue;
      const border = x < 112 || x >= 400 || y < 112 || y >= 400;
      const gap = x < 124 || x >= 388 || y < 124 || y >= 388;
      // Four carved characters' worth of strokes: horizontal and vertical bars in each quadrant.
      const qx = (x - 124) % 132;
      const qy = (y - 124) % 132;
      const stroke = (qy > 20 && qy < 34) || (qy > 60 && qy < 74) || (qx > 56 && qx < 70) || (qy > 100 && qy < 114 && qx > 20);
      const carved = !border && !gap && stroke;
      const red = border || (!gap && !carved);
      if (red) rgba.set(vermilion, (y * size + x) * 4);
    }
  }
  return sharp(rgba, { raw: { width: size, height: size, channels: 4 } }).png().toBuffer();
}

function padTo4(bytes: Buffer, fill: number): Buffer {
  const padding = (4 - (bytes.length % 4)) % 4;
  return Buffer.concat([bytes, Buffer.alloc(padding, fill)]);
}

/** A small valid glTF 2.0 binary (GLB): a vermilion cube with normals, viewable in any glTF viewer. */
export function buildCubeGlb(): Buffer {
  const faces: Array<{ normal: [number, number, number]; corners: Array<[number, number, number]> }> = [
    { normal: [0, 0, 1], corners: [[-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]] },
    { normal: [0, 0, -1], corners: [[1, -1, -1], [-1, -1, -1], [-1, 1, -1], [1, 1, -1]] },
    { normal: [1, 0, 0], corners: [[1, -1, 1], [1, -1, -1], [1, 1, -1], [1, 1, 1]] },
    { normal: [-1, 0, 0], corners: [[-1, -1, -1], [-1, -1, 1], [-1, 1, 1], [-1, 1, -1]] },
    { normal: [0, 1, 0], corners: [[-1, 1, 1], [1, 1, 1], [1, 1, -1], [-1, 1, -1]] },
    { normal: [0, -1, 0], corners: [[-1, -1, -1], [1, -1, -1], [1, -1, 1], [-1, -1, 1]] },
  ];
  const positions: number[] = [];
  const normals: number[] = [];
  const indices: number[] = [];
  for (const [faceIndex, face] of faces.entries()) {
    for (const corner of face.corners) {
      positions.push(...corner.map((value) => value * 0.5));
      normals.push(...face.normal);
    }
    const base = faceIndex * 4;
    indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  const positionBytes = Buffer.from(new Float32Array(positions).buffer);
  const normalBytes = Buffer.from(new Float32Array(normals).buffer);
  const indexBytes = padTo4(Buffer.from(new Uint16Array(indices).buffer), 0);
  const bin = Buffer.concat([positionBytes, normalBytes, indexBytes]);
  const gltf = {
    asset: { version: "2.0", generator: "Vermilion demo" },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, rotation: [0.2, 0.3, 0, 0.93] }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2, material: 0 }] }],
    materials: [{ pbrMetallicRoughness: { baseColorFactor: [0.78, 0.21, 0.16, 1], metallicFactor: 0.1, roughnessFactor: 0.6 } }],
    buffers: [{ byteLength: bin.length }],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positionBytes.length, target: 34962 },
      { buffer: 0, byteOffset: positionBytes.length, byteLength: normalBytes.length, target: 34962 },
      { buffer: 0, byteOffset: positionBytes.length + normalBytes.length, byteLength: indices.length * 2, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 24, type: "VEC3", min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] },
      { bufferView: 1, componentType: 5126, count: 24, type: "VEC3" },
      { bufferView: 2, componentType: 5123, count: indices.length, type: "SCALAR" },
    ],
  };
  const json = padTo4(Buffer.from(JSON.stringify(gltf)), 0x20);
  const header = Buffer.alloc(12);
  const totalLength = 12 + 8 + json.length + 8 + bin.length;
  header.writeUInt32LE(0x46546c67, 0); // "glTF"
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(totalLength, 8);
  const jsonHeader = Buffer.alloc(8);
  jsonHeader.writeUInt32LE(json.length, 0);
  jsonHeader.writeUInt32LE(0x4e4f534a, 4); // "JSON"
  const binHeader = Buffer.alloc(8);
  binHeader.writeUInt32LE(bin.length, 0);
  binHeader.writeUInt32LE(0x004e4942, 4); // "BIN\0"
  return Buffer.concat([header, jsonHeader, json, binHeader, bin]);
}
