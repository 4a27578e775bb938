import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The shipped catalog (catalog/*.json), mirrored into the database at boot by EventTypeMirror. */
@Entity({ name: 'event_types' })
export class EventTypeEntity {
  @PrimaryColumn('text')
  name: string;

  @Column('text')
  description: string;

  @Column('jsonb', { nullable: true })
  schema: Record<string, unknown> | null;

  @Column('jsonb', { name: 'sample_payload' })
  samplePayload: Record<string, unknown>;

  @Column('boolean', { default: false })
  archived: boolean;

  @Column('boolean', { default: false })
  operational: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
