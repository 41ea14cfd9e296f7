/** Thrown when a value is not a GeoJSON geometry a column can hold; the message is the reject reason. */
export class GeometryError extends Error {
  override readonly name = 'GeometryError';
}
