/**
 * The GeoJSON reader: a FeatureCollection's features (with members before and after `features`) and a GeoJSON text
 * sequence (RS-prefixed lines) give the same rows, however the text is split into pieces; invalid features are
 * rejects naming the feature by index and id; a collection that is not JSON fails with the byte offset.
 */
import { GeojsonParser, type GeojsonReaderOptions } from '../../../src/data/formats/geojson-source';
import { layoutOf } from '../../../src/data/formats/geojson-features';
import type { RowChunk } from '../../../src/data/rows/batch';

const features = [
  { type: 'Feature', id: 1, properties: { name: 'a\tb', n: 1 }, geometry: { type: 'Point', coordinates: [1, 2] } },
  { type: 'Feature', id: 'x', properties: null, geometry: null },
  { type: 'Feature', properties: { name: 'c', n: 2.5 }, geometry: { type: 'Point', coordinates: [500, 2] } },
  {
    type: 'Feature',
    properties: { name: 'd' },
    geometry: {
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 1],
      ],
    },
  },
  { type: 'Nope' },
];
const collection = JSON.stringify({ type: 'FeatureCollection', name: 'x', features, bbox: [0, 0, 1, 1] }, null, 1);
const sequence = features.map((f) => `\u001e${JSON.stringify(f)}\n`).join('');

const options = (layout: 'collection' | 'sequence'): GeojsonReaderOptions => ({
  layout,
  id: true,
  properties: [
    { name: 'name', type: 'text' },
    { name: 'n', type: 'numeric' },
  ],
  geometry: { srid: 4326, kind: 'Point', z: false },
  chunkRows: 2,
});

function read(text: string, layout: 'collection' | 'sequence', cut?: number): RowChunk[] {
  const parser = new GeojsonParser(options(layout));
  const out: RowChunk[] = [];
  for (const piece of cut === undefined ? [text] : [text.slice(0, cut), text.slice(cut)]) {
    parser.push(piece);
    out.push(...parser.takeChunks());
  }
  parser.end();
  return [...out, ...parser.takeChunks()];
}

const summary = (chunks: RowChunk[]) => ({
  rows: chunks.flatMap((c) => c.rows),
  rejects: chunks.flatMap((c) => c.rejects.map((r) => [r.recordNo, r.reason])),
  clean: chunks.map((c) => c.clean),
});

test('a FeatureCollection: rows of id, properties and hex EWKB; misfits are rejects naming index and id', () => {
  const s = summary(read(collection, 'collection'));
  expect(s.rows).toEqual([
    ['1', 'a\tb', '1', '0101000020e6100000000000000000f03f0000000000000040'],
    ['x', null, null, null],
  ]);
  expect(s.rejects).toEqual([
    [2, expect.stringMatching(/^feature 2: geometry: Point: \[500, 2\] is out of range for SRID 4326/)],
    [3, 'feature 3: geometry: a LineString in a column of Point'],
    [4, 'feature 4: not a GeoJSON Feature (its "type" must be "Feature")'],
  ]);
  // The tab is an escape in the file's text: that chunk needs COPY escaping.
  expect(s.clean[0]).toBe(false);
});

test('split across two pieces at every position, both layouts read the same', () => {
  const whole = summary(read(collection, 'collection'));
  expect(summary(read(sequence, 'sequence')).rows).toEqual(whole.rows);
  for (let cut = 0; cut <= collection.length; cut++)
    expect({ cut, ...summary(read(collection, 'collection', cut)) }).toEqual({ cut, ...whole });
  for (let cut = 0; cut <= sequence.length; cut++)
    expect({ cut, rows: summary(read(sequence, 'sequence', cut)).rows }).toEqual({ cut, rows: whole.rows });
});

test('a sequence line that is not JSON is a reject; a collection that is not JSON fails with the offset', () => {
  const s = summary(read(`${sequence}{"type":"Feature",\n`, 'sequence'));
  expect(s.rejects.at(-1)).toEqual([5, expect.stringMatching(/^feature 5: not valid JSON/)]);
  expect(() => read('{"type":"FeatureCollection","features":[{"type":"Feature",]}', 'collection')).toThrow(
    /at byte 40/,
  );
  expect(() => read('{"type":"Feature","geometry":null}', 'collection')).toThrow(/no array at records: "features"/);
});

test('the layout from the file name or its first character', () => {
  expect(layoutOf('a.geojson', '{"type":"FeatureCollection"')).toBe('collection');
  expect(layoutOf('a.geojson', '\u001e{"type":"Feature"')).toBe('sequence');
  expect(layoutOf('a.geojsonl', '{"type":"Feature"')).toBe('sequence');
});
