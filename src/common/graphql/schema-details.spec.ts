import { buildSchema } from 'graphql';
import { namesIn, redactSchemaDetails } from './schema-details';

const schema = buildSchema(
  `enum DeliveryStatus { FAILED SUCCEEDED } type Endpoint { url: String } type Query { endpoints: [Endpoint] deliveries(status: DeliveryStatus): Int }`,
);

describe('redactSchemaDetails', () => {
  it('drops suggestions and schema names the client did not write, keeps what it wrote', () => {
    const query = '{ endpoits }';
    expect(
      redactSchemaDetails(
        'Cannot query field "endpoits" on type "Query". Did you mean "endpoints"?',
        schema,
        namesIn(query),
      ),
    ).toBe('Cannot query field "endpoits" on type "Query".');
    expect(
      redactSchemaDetails(
        'Value "FAILD" does not exist in "DeliveryStatus" enum. Did you mean the enum value "FAILED"?',
        schema,
        namesIn('{ deliveries(status: FAILD) }'),
      ),
    ).toBe('Value "FAILD" does not exist in "(hidden)" enum.');
    expect(redactSchemaDetails('Field "url" of type "Endpoint" is bad', schema, namesIn('{ endpoints { url } }'))).toBe(
      'Field "url" of type "(hidden)" is bad',
    );
  });
});
