-- Atrium index, version 5: the data partitions that exist (issue #6), as the Azure DICOM service
-- lists them. A partition comes into being with the first study stored into it; the default one
-- always exists. (V3 and V4 belong to extended query tags and the FHIR sync.)
create table data_partition (
  partition_key   bigint       not null auto_increment primary key,
  partition_name  varchar(64)  not null,
  created_at      datetime(3)  not null,
  constraint uk_data_partition unique (partition_name)
);

insert into data_partition (partition_name, created_at) values ('DEFAULT', current_timestamp(3));
insert into data_partition (partition_name, created_at)
  select distinct partition_name, current_timestamp(3) from study where partition_name <> 'DEFAULT';
