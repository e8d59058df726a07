// The API schema, bundled at build time from the server's own SDL: production servers refuse
// introspection (strict persisted-query mode), and the editor still completes and documents.
import { buildSchema, getNamedType, isInputObjectType, isListType, isNonNullType, parse, typeFromAST } from 'graphql';
import sdl from '../../resources/graphql/schema.graphqls';

export const schema = buildSchema(sdl);

const MINUTE = 60_000;

function sample(name, type, tenant) {
  if (name === 'tenantId') return tenant;
  if (name === 'step') return 'PT5M';
  if (name === 'from') return new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 24 * 60 * MINUTE).toISOString();
  if (name === 'to') return new Date(Math.floor(Date.now() / MINUTE) * MINUTE).toISOString();
  if (isNonNullType(type)) return sample(name, type.ofType, tenant);
  if (isListType(type)) return [];
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields())
      .filter(f => isNonNullType(f.type))
      .map(f => [f.name, sample(f.name, f.type, tenant)]));
  }
  switch (getNamedType(type)?.name) {
    case 'Int': case 'Float': case 'BigInteger': return 0;
    case 'Boolean': return false;
    default: return '';
  }
}

/** A variables object for a document: each variable with a value of its type to edit. */
export function schemaVariables(document, tenant) {
  const variables = {};
  for (const definition of parse(document).definitions) {
    for (const v of definition.variableDefinitions ?? []) {
      variables[v.variable.name.value] = sample(v.variable.name.value, typeFromAST(schema, v.type), tenant);
    }
  }
  return JSON.stringify(variables, null, 2);
}
