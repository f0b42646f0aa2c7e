-- Deleting a patient's last study used to leave the patient row, which Patient Root C-FIND at PATIENT
-- level still found (name and ID of a deleted patient). Deletes now remove such a patient; this removes
-- those left before.
delete from patient where not exists (select 1 from study where study.patient_pk = patient.pk);
