-- MariaDB only (H2 compares exactly already). MariaDB's default collation ignores case and accents, so
-- PatientID=b-p0 found B-P0 and the partition "default" was DEFAULT: PS3.4 C.2.2.2.1 makes matching
-- case-sensitive except for PN, and a partition is a tenant. Person names are matched through their
-- normalised columns, which Atrium folds itself.
alter database character set utf8mb4 collate utf8mb4_bin;
-- A foreign key on text (an operation's id) keeps MariaDB from changing either side: it goes, and comes back.
alter table extended_query_tag drop foreign key fk_extended_query_tag_operation;
alter table counter convert to character set utf8mb4 collate utf8mb4_bin;
alter table patient convert to character set utf8mb4 collate utf8mb4_bin;
alter table study convert to character set utf8mb4 collate utf8mb4_bin;
alter table series convert to character set utf8mb4 collate utf8mb4_bin;
alter table instance convert to character set utf8mb4 collate utf8mb4_bin;
alter table change_feed convert to character set utf8mb4 collate utf8mb4_bin;
alter table blob_garbage convert to character set utf8mb4 collate utf8mb4_bin;
alter table operation convert to character set utf8mb4 collate utf8mb4_bin;
alter table extended_query_tag convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_string convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_long convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_double convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_date convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_datetime convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_time convert to character set utf8mb4 collate utf8mb4_bin;
alter table ext_value_person_name convert to character set utf8mb4 collate utf8mb4_bin;
alter table extended_query_tag_error convert to character set utf8mb4 collate utf8mb4_bin;
alter table fhir_sync_state convert to character set utf8mb4 collate utf8mb4_bin;
alter table fhir_sync_error convert to character set utf8mb4 collate utf8mb4_bin;
alter table data_partition convert to character set utf8mb4 collate utf8mb4_bin;
alter table extended_query_tag add constraint fk_extended_query_tag_operation
  foreign key (operation_id) references operation (operation_id);
