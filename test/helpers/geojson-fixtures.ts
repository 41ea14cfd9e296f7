/** GeoJSON geometries for the geometry tests: every kind, a polygon with two holes, multi-parts, nested and empty collections. */

/** A closed square ring from (x, y) with side d. */
export const ring = (x: number, y: number, d: number): number[][] => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

/** One geometry of each GeoJSON kind (a Point first), and an empty GeometryCollection. */
export const EVERY_KIND: readonly object[] = [
  { type: 'Point', coordinates: [13.4, 52.52] },
  {
    type: 'LineString',
    coordinates: [
      [0, 0],
      [1, 1],
      [2, 0.5],
    ],
  },
  { type: 'Polygon', coordinates: [ring(0, 0, 10), ring(2, 2, 1), ring(5, 5, 2)] },
  {
    type: 'MultiPoint',
    coordinates: [
      [1, 2],
      [3, 4],
    ],
  },
  {
    type: 'MultiLineString',
    coordinates: [
      [
        [0, 0],
        [1, 1],
      ],
      [
        [2, 2],
        [3, 3],
        [4, 2],
      ],
    ],
  },
  { type: 'MultiPolygon', coordinates: [[ring(0, 0, 1)], [ring(10, 10, 5), ring(11, 11, 1)]] },
  {
    type: 'GeometryCollection',
    geometries: [
      { type: 'Point', coordinates: [1, 2] },
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [ring(0, 0, 1)] }] },
    ],
  },
  { type: 'GeometryCollection', geometries: [] },
];
