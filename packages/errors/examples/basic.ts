import { NoSuchTableError, QueryError, SochDBError, ValidationError } from '@sochdb/errors';

try {
  throw new NoSuchTableError('no such table: users', { remediation: 'Create it with CREATE TABLE.' });
} catch (error) {
  if (NoSuchTableError.is(error)) console.log(error.code); // 5005: typed as the literal 5005
  if (error instanceof QueryError) console.log(error.remediation);
  if (SochDBError.is(error) && error.code === 5005) console.log('missing table');
  console.log(ValidationError.is(error)); // false
}
