-- Atrium index, version 1. Portable between H2 (MODE=MariaDB) and MariaDB.
-- Every row carries its partition from day one (tenant isolation); the default is 'DEFAULT'.
-- Column names avoid words reserved in either database (partition, key, value, rows, ...).

create table counter (
  name        varchar(32) not null primary key,
  next_value  bigint      not null
);
-- The change-feed sequence is taken from this row inside the storing transaction: the row lock
-- serialises the tail of concurrent transactions, so sequence order is commit order.
insert into counter (name, next_value) values ('change_feed', 1);

create table patient (
  pk                     bigint       not null auto_increment primary key,
  partition_name         varchar(64)  not null,
  patient_id             varchar(64)  not null,
  issuer_of_patient_id   varchar(64)  not null,
  patient_name           varchar(400),
  patient_name_norm      varchar(400),
  patient_birth_date     date,
  patient_sex            varchar(16),
  created_at             datetime(3)  not null,
  updated_at             datetime(3)  not null,
  constraint uk_patient unique (partition_name, patient_id, issuer_of_patient_id)
);

create table study (
  pk                          bigint       not null auto_increment primary key,
  partition_name              varchar(64)  not null,
  patient_pk                  bigint       not null,
  study_instance_uid          varchar(64)  not null,
  study_date                  date,
  study_time                  time,
  accession_number            varchar(64),
  study_id                    varchar(16),
  study_description           varchar(64),
  referring_physician_name    varchar(400),
  referring_physician_norm    varchar(400),
  modalities_in_study         varchar(256),
  number_of_series            int          not null,
  number_of_instances         int          not null,
  created_at                  datetime(3)  not null,
  updated_at                  datetime(3)  not null,
  constraint uk_study unique (partition_name, study_instance_uid),
  constraint fk_study_patient foreign key (patient_pk) references patient (pk)
);
create index ix_study_date on study (partition_name, study_date);
create index ix_study_accession on study (partition_name, accession_number);
create index ix_study_patient on study (patient_pk);

create table series (
  pk                     bigint       not null auto_increment primary key,
  partition_name         varchar(64)  not null,
  study_pk               bigint       not null,
  series_instance_uid    varchar(64)  not null,
  modality               varchar(16),
  series_number          int,
  series_description     varchar(64),
  body_part_examined     varchar(16),
  pps_start_date         date,
  pps_start_time         time,
  number_of_instances    int          not null,
  created_at             datetime(3)  not null,
  updated_at             datetime(3)  not null,
  constraint uk_series unique (partition_name, series_instance_uid),
  constraint fk_series_study foreign key (study_pk) references study (pk)
);
create index ix_series_study on series (study_pk);

create table instance (
  pk                     bigint       not null auto_increment primary key,
  partition_name         varchar(64)  not null,
  series_pk              bigint       not null,
  sop_instance_uid       varchar(64)  not null,
  sop_class_uid          varchar(64)  not null,
  instance_number        int,
  transfer_syntax_uid    varchar(64)  not null,
  pixel_rows             int,
  pixel_columns          int,
  bits_allocated         int,
  number_of_frames       int,
  blob_key               varchar(80)  not null,
  blob_size              bigint       not null,
  created_at             datetime(3)  not null,
  updated_at             datetime(3)  not null,
  constraint uk_instance unique (partition_name, sop_instance_uid),
  constraint fk_instance_series foreign key (series_pk) references series (pk)
);
create index ix_instance_series on instance (series_pk);
create index ix_instance_blob on instance (blob_key);

-- Ordered, immutable record of every change (PS3.18 has none; shape follows the Azure DICOM service).
create table change_feed (
  seq                    bigint       not null primary key,
  partition_name         varchar(64)  not null,
  study_instance_uid     varchar(64)  not null,
  series_instance_uid    varchar(64)  not null,
  sop_instance_uid       varchar(64)  not null,
  action                 varchar(16)  not null,
  state                  varchar(16)  not null,
  created_at             datetime(3)  not null
);
create index ix_change_feed_partition on change_feed (partition_name, seq);
create index ix_change_feed_time on change_feed (created_at);

-- Blobs no longer referenced (overwritten or deleted instances). Written in the same transaction
-- that drops the reference; a cleaner removes the file after commit, at startup too, so a crash
-- between commit and file removal leaves no orphan for ever.
create table blob_garbage (
  pk          bigint       not null auto_increment primary key,
  blob_key    varchar(80)  not null,
  created_at  datetime(3)  not null
);
