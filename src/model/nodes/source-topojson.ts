/** `source.topojson`: rows from the features of one object of a TopoJSON topology. */
import { z } from 'zod';
import { describeNode } from './describe';
import { SourceGeojsonParams } from './source-geojson';

export const SourceTopojsonParams = SourceGeojsonParams.omit({ layout: true })
  .extend({
    /** The topology object to read (a key of its `objects`, e.g. `countries`); default its only object. */
    object: z.string().min(1).optional(),
  })
  .strict();
export type SourceTopojsonParams = z.output<typeof SourceTopojsonParams>;

export const sourceTopojsonDescription = describeNode({
  name: 'source.topojson',
  description:
    'Reads the features of one object of a TopoJSON topology (converted with topojson-client): properties as ' +
    'columns, the geometry as a geometry column. The file is read whole.',
  params: SourceTopojsonParams,
  stream: 'source',
  staging: true,
});
