-- Storage commitment (dev.atrium.commitment): the requests a modality made whose report the archive still owes it.
-- Kept from the N-ACTION's answer until the report is delivered or given up, so that a report survives a restart.
-- refs: one line per instance named, its SOP Class UID and SOP Instance UID separated by a tab (both checked UIDs).
create table commitment_request (
  pk               bigint       not null auto_increment primary key,
  transaction_uid  varchar(64)  not null,
  calling_ae       varchar(16)  not null,
  partition_name   varchar(64)  not null,
  refs             longtext     not null,
  created_at       datetime(3)  not null
);
