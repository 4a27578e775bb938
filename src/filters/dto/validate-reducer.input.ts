import { Field, InputType } from '@nestjs/graphql';
import { JsonScalar } from '../../common/graphql/scalars';

@InputType()
export class ValidateReducerInput {
  @Field(() => JsonScalar)
  sampleData: unknown;

  @Field(() => JsonScalar, { description: 'Object whose leaves are JSONPath strings, e.g. { orderId: "$.order.id" }' })
  reducer: unknown;
}
