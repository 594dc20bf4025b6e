// The first schema: every table of SPEC §3 with its constraints in the database.
import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialSchema1764374400000 implements MigrationInterface {
  name = "InitialSchema1764374400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE DOMAIN object_id AS char(24) CHECK (VALUE ~ '^[0-9a-f]{24}$');

      CREATE TABLE organization (
        id object_id PRIMARY KEY,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        kind text NOT NULL CHECK (kind IN ('Organizer', 'TimingCompany', 'Other')),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE association (
        id object_id PRIMARY KEY,
        organizer_id object_id NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
        associate_id object_id NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT association_pair_unique UNIQUE (organizer_id, associate_id),
        CONSTRAINT association_not_self CHECK (organizer_id <> associate_id)
      );
      CREATE INDEX association_associate_idx ON association (associate_id);

      CREATE TABLE user_account (
        id object_id PRIMARY KEY,
        login text NOT NULL,
        unclaimed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_account_login_unique UNIQUE (login)
      );

      CREATE TABLE membership (
        id object_id PRIMARY KEY,
        account_id object_id NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
        organization_id object_id NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Member')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_unique UNIQUE (account_id, organization_id)
      );
      CREATE INDEX membership_organization_idx ON membership (organization_id);

      CREATE TABLE access_key (
        id object_id PRIMARY KEY,
        account_id object_id NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[A-Za-z0-9._~-]{3,64}$'),
        secret_hash text NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT access_key_name_unique UNIQUE (name)
      );

      CREATE TABLE event (
        id object_id PRIMARY KEY,
        organizer_id object_id NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        starts_on date,
        ends_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_dates_ordered CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
      );
      CREATE INDEX event_organizer_idx ON event (organizer_id);

      CREATE TABLE activity (
        id object_id PRIMARY KEY,
        event_id object_id NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        starts_at timestamptz,
        currency char(3) NOT NULL DEFAULT 'CZK' CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX activity_event_idx ON activity (event_id);

      CREATE TABLE person (
        id object_id PRIMARY KEY,
        account_id object_id NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
        given_name text NOT NULL,
        middle_name text,
        surname text NOT NULL,
        sex text NOT NULL CHECK (sex IN ('Male', 'Female')),
        birth_date date NOT NULL,
        language text,
        nickname text,
        country char(2) CHECK (country ~ '^[A-Z]{2}$'),
        is_profile_public boolean NOT NULL DEFAULT false,
        CONSTRAINT person_account_unique UNIQUE (account_id)
      );
      CREATE INDEX person_identity_idx ON person (lower(surname), lower(given_name), birth_date);

      CREATE TABLE registration (
        id object_id PRIMARY KEY,
        activity_id object_id NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        person_id object_id NOT NULL REFERENCES person(id),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9]{4,12}$'),
        state text NOT NULL CHECK (state IN ('New', 'Confirmed', 'Cancelled')),
        start_number text CHECK (start_number <> ''),
        amount_value integer NOT NULL DEFAULT 0,
        amount_currency char(3) NOT NULL CHECK (amount_currency ~ '^[A-Z]{3}$'),
        source text NOT NULL CHECK (source IN ('Native', 'External')),
        external_id text CHECK (external_id <> ''),
        created_at timestamptz NOT NULL DEFAULT now(),
        modified_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT registration_code_unique UNIQUE (code),
        CONSTRAINT registration_external_id_unique UNIQUE (activity_id, external_id),
        -- Deferred to commit so that numbers can be exchanged inside one batch.
        CONSTRAINT registration_start_number_unique
          EXCLUDE USING btree (activity_id WITH =, start_number WITH =)
          WHERE (state <> 'Cancelled' AND start_number IS NOT NULL)
          DEFERRABLE INITIALLY DEFERRED
      );
      CREATE INDEX registration_person_idx ON registration (person_id);
      CREATE INDEX registration_activity_modified_idx ON registration (activity_id, modified_at);

      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        account_id object_id REFERENCES user_account(id) ON DELETE SET NULL,
        access_key_id object_id REFERENCES access_key(id) ON DELETE SET NULL,
        registration_id object_id NOT NULL REFERENCES registration(id) ON DELETE CASCADE,
        action text NOT NULL CHECK (action IN ('Created', 'Updated')),
        old_values jsonb,
        new_values jsonb NOT NULL
      );
      CREATE INDEX audit_entry_registration_idx ON audit_entry (registration_id, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_entry, registration, person, activity, event, access_key,
        membership, user_account, association, organization;
      DROP DOMAIN object_id;
    `);
  }
}
