-- Atrium index, version 2: indexes for the query engine (issue #3 scale benchmark).
-- The exact-key lookups (PatientID, StudyInstanceUID, SeriesInstanceUID in a path) use the unique
-- keys of V1 once the query carries the partition on every joined table (QueryIndex). What
-- scanned besides: person-name matching at patient level.

-- PatientName=SMITH or SMITH* (the usual C-FIND and worklist form): a range on the upper-cased
-- copy instead of a scan of every patient. Fuzzy matching ('%^SMI%') cannot use it.
create index ix_patient_name on patient (partition_name, patient_name_norm);
