-- Screening reads, per match key, the persons sharing it. With the person id in the index the
-- lookup is answered from the index alone, without visiting a table row per person.
CREATE INDEX person_match_keys_key_person ON person_match_keys (key, person_id);
DROP INDEX person_match_keys_key;
