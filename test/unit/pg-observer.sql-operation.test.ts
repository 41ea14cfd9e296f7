/** Postgres metrics labels: a statement's operation from a fixed set, never its text; COPY direction. */
import { copyOperation, sqlOperation } from '../../src/platform/db/pg-observer';

test('the operation is the leading keyword, past blanks, comments and parentheses', () => {
  expect(sqlOperation('SELECT 1')).toBe('select');
  expect(sqlOperation('  \n\tinsert into t values (1)')).toBe('insert');
  expect(sqlOperation('-- why\n/* and how */ (SELECT 1) UNION (SELECT 2)')).toBe('select');
  expect(sqlOperation('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')).toBe('begin');
  expect(sqlOperation('START TRANSACTION')).toBe('begin');
  expect(sqlOperation('END')).toBe('commit');
  expect(sqlOperation('DECLARE c NO SCROLL CURSOR FOR SELECT 1')).toBe('declare');
  expect(sqlOperation('CREATE UNLOGGED TABLE x AS SELECT 1')).toBe('create');
});

test('anything else is "other", so a label never carries SQL text or values', () => {
  expect(sqlOperation(undefined)).toBe('other');
  expect(sqlOperation('')).toBe('other');
  expect(sqlOperation("'; DROP TABLE x; --")).toBe('other');
  expect(sqlOperation('GRANT ALL ON t TO secret_user')).toBe('other');
  expect(sqlOperation('42')).toBe('other');
});

test('COPY is told apart by direction; other COPY forms are not client streams', () => {
  expect(copyOperation('COPY "s"."t" ("a", "b") FROM STDIN')).toBe('copy_in');
  expect(copyOperation('COPY (SELECT * FROM t) TO STDOUT')).toBe('copy_out');
  expect(copyOperation("COPY t FROM '/tmp/file.csv'")).toBeUndefined();
  expect(copyOperation('SELECT 1 -- FROM STDIN')).toBeUndefined();
});
