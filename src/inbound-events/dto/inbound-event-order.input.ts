import { Field, InputType, registerEnumType } from '@nestjs/graphql';

export enum InboundEventSortField {
  RECEIVED_AT = 'RECEIVED_AT',
  PROCESSED_AT = 'PROCESSED_AT',
  ATTEMPTS = 'ATTEMPTS',
  EVENT_CODE = 'EVENT_CODE',
  STATUS = 'STATUS',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(InboundEventSortField, { name: 'InboundEventSortField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

/**
 * No class-validator rules: GraphQL already enforces both enums, and the validation pipe turns an absent
 * (nullable) orderBy into {} before validating, which required-field rules would refuse.
 */
@InputType()
export class InboundEventOrder {
  @Field(() => InboundEventSortField)
  field: InboundEventSortField;

  @Field(() => SortDirection)
  direction: SortDirection;
}
