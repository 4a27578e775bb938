import { ENDPOINT_FIELDS } from '../../graphql/models';

export const ENDPOINTS = `
  query ConsoleEndpoints($first: Int, $after: String, $filter: EndpointFilter) {
    endpoints(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { endCursor hasNextPage }
      edges { cursor node { ${ENDPOINT_FIELDS} } }
    }
  }`;

export const CREATE_ENDPOINT = `
  mutation ConsoleCreateEndpoint($input: CreateEndpointInput!) {
    createEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } }
  }`;
