-- Atrium index, version 3: extended query tags (the Azure DICOM service's API, issue #5).
-- Tags are global (across partitions); their values belong to the study, series or instance row
-- of the tag's level, so they follow that row's partition and go when the row goes (cascade).

-- Long-running operations (a reindex of the data stored before a tag was added). The reindex
-- walks instances by primary key: watermark is the last pk done, so a restart resumes there;
-- instances with a pk above end_watermark were stored after the tag existed and were indexed
-- at store time.
create table operation (
  operation_id      varchar(32)   not null primary key,
  operation_type    varchar(16)   not null,
  op_status         varchar(16)   not null,
  percent_complete  int           not null,
  start_watermark   bigint        not null,
  watermark         bigint        not null,
  end_watermark     bigint        not null,
  failure           varchar(1024),
  created_at        datetime(3)   not null,
  updated_at        datetime(3)   not null
);
create index ix_operation_status on operation (op_status);

create table extended_query_tag (
  tag_key           int           not null auto_increment primary key,
  tag_path          varchar(8)    not null,
  tag_vr            varchar(2)    not null,
  private_creator   varchar(64),
  tag_level         varchar(16)   not null,
  tag_status        varchar(16)   not null,
  query_status      varchar(16)   not null,
  error_count       int           not null,
  operation_id      varchar(32),
  created_at        datetime(3)   not null,
  updated_at        datetime(3)   not null,
  constraint uk_extended_query_tag unique (tag_path),
  constraint fk_extended_query_tag_operation foreign key (operation_id) references operation (operation_id)
);

-- Values, one table per kind (as the Azure DICOM service's string/long/double/datetime/person-name
-- tables, with DA, DT and TM typed apart so ranges compare natively). level_pk is the pk of the
-- study, series or instance row the value belongs to (by the tag's level); study_pk/series_pk/
-- instance_pk are set for that row and the rows above it, so deleting any of them removes the
-- value. source_pk is the instance the value was read from: for study and series tags the
-- latest instance wins, whichever of the store and the reindex writes last.
create table ext_value_string (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    varchar(64)  not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_string_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_string_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_string_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_string_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_string_value on ext_value_string (tag_key, tag_value);

create table ext_value_long (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    bigint       not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_long_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_long_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_long_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_long_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_long_value on ext_value_long (tag_key, tag_value);

create table ext_value_double (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    double       not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_double_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_double_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_double_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_double_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_double_value on ext_value_double (tag_key, tag_value);

create table ext_value_date (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    date         not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_date_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_date_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_date_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_date_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_date_value on ext_value_date (tag_key, tag_value);

create table ext_value_datetime (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    datetime(6)  not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_datetime_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_datetime_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_datetime_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_datetime_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_datetime_value on ext_value_datetime (tag_key, tag_value);

create table ext_value_time (
  tag_key      int          not null,
  level_pk     bigint       not null,
  study_pk     bigint       not null,
  series_pk    bigint,
  instance_pk  bigint,
  source_pk    bigint       not null,
  tag_value    time(6)      not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_time_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_time_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_time_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_time_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_time_value on ext_value_time (tag_key, tag_value);

-- PN: tag_value as stored (returned), tag_value_norm upper-cased (matched), as patient names.
create table ext_value_person_name (
  tag_key         int           not null,
  level_pk        bigint        not null,
  study_pk        bigint        not null,
  series_pk       bigint,
  instance_pk     bigint,
  source_pk       bigint        not null,
  tag_value       varchar(400)  not null,
  tag_value_norm  varchar(400)  not null,
  primary key (tag_key, level_pk),
  constraint fk_ext_pn_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_pn_study foreign key (study_pk) references study (pk) on delete cascade,
  constraint fk_ext_pn_series foreign key (series_pk) references series (pk) on delete cascade,
  constraint fk_ext_pn_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_pn_value on ext_value_person_name (tag_key, tag_value_norm);

-- Instances whose value for a tag could not be indexed (stored anyway), listed under /errors.
create table extended_query_tag_error (
  pk             bigint         not null auto_increment primary key,
  tag_key        int            not null,
  instance_pk    bigint         not null,
  error_message  varchar(512)   not null,
  created_at     datetime(3)    not null,
  constraint uk_ext_error unique (tag_key, instance_pk),
  constraint fk_ext_error_tag foreign key (tag_key) references extended_query_tag (tag_key) on delete cascade,
  constraint fk_ext_error_instance foreign key (instance_pk) references instance (pk) on delete cascade
);
create index ix_ext_error_instance on extended_query_tag_error (instance_pk);
