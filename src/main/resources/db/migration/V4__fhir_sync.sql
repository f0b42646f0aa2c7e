-- DICOMcast (dev.atrium.fhir): where the FHIR sync is in the change feed, who advances it, and
-- the changes a FHIR server refused for good.

-- One row per sync (name 'default'). checkpoint_seq: the last change-feed sequence reflected in
-- FHIR. The lease makes one node at a time the writer: a node takes it when it is free or expired
-- and moves the checkpoint only while it holds it, so several Atrium nodes can run the sync.
create table fhir_sync_state (
  name              varchar(32)  not null primary key,
  checkpoint_seq    bigint       not null,
  lease_owner       varchar(128),
  lease_expires_at  datetime(3),
  updated_at        datetime(3)  not null
);
insert into fhir_sync_state (name, checkpoint_seq, updated_at) values ('default', 0, '2000-01-01 00:00:00');

-- Changes (a range of sequences of one study) that the FHIR server rejected permanently (4xx);
-- the sync recorded them here and moved on.
create table fhir_sync_error (
  pk                  bigint        not null auto_increment primary key,
  first_seq           bigint        not null,
  last_seq            bigint        not null,
  partition_name      varchar(64)   not null,
  study_instance_uid  varchar(64)   not null,
  http_status         int           not null,
  message             varchar(2000) not null,
  created_at          datetime(3)   not null
);
create index ix_fhir_sync_error_seq on fhir_sync_error (first_seq);
