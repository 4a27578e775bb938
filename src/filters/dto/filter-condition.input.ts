import { Field, InputType, registerEnumType } from '@nestjs/graphql';

/** Keys are the GraphQL values; the values are what the engine and the stored JSON use. */
export enum FilterLogic {
  AND = 'AND',
  OR = 'OR',
}

registerEnumType(FilterLogic, { name: 'FilterLogic' });

/**
 * A filter node: a leaf (query and/or condition) or a group (logic + conditions). The engine
 * checks the shape and every expression, so there are no class-validator rules here.
 */
@InputType()
export class FilterConditionInput {
  @Field(() => String, {
    nullable: true,
    description: 'JSONPath that extracts a value from the payload, e.g. $.order.total',
  })
  query?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'JavaScript condition over the extracted value, e.g. (value) => value > 100',
  })
  condition?: string | null;

  @Field(() => FilterLogic, { nullable: true, description: 'How nested conditions combine' })
  logic?: FilterLogic | null;

  @Field(() => [FilterConditionInput], { nullable: true })
  conditions?: FilterConditionInput[] | null;
}
