/**
 * The data run of the metrics tests: a CSV of people (`id,name`) whose extract writes staging (COPY in), then a
 * lookup of each id's label through the cache and an append into `<schema>.people`, fused (COPY out).
 */
import type pg from 'pg';

/** The schema with the lookup's dimension, `<schema>.labels`: ids 0 to 99. */
export async function createLabelsSchema(db: pg.Pool, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.labels (id int PRIMARY KEY, label text)`);
  await db.query(`INSERT INTO ${schema}.labels SELECT i, 'label ' || i FROM generate_series(0, 99) i`);
}

export function lookupLoadPipeline(o: { name: string; schema: string; file: string; maxRejects: number }): unknown {
  return {
    name: o.name,
    nodes: [
      {
        id: 'extract',
        type: 'source.csv',
        fuse: false,
        params: {
          path: o.file,
          columns: [
            { name: 'id', type: 'int' },
            { name: 'name', type: 'text' },
          ],
          maxRejects: o.maxRejects,
        },
      },
      {
        id: 'enrich',
        type: 'transform.lookup',
        needs: ['extract'],
        params: { table: `${o.schema}.labels`, key: 'id', columns: ['label'] },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['enrich'],
        params: { table: `${o.schema}.people`, mode: 'append', createTable: true },
      },
    ],
  };
}
