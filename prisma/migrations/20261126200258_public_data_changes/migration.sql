-- Announces a committed write to a table that public pages read, so each web process can drop what it
-- keeps in memory from that table (app/lib/public-reads.server.ts, ADR 0016). Statement triggers: a
-- bulk write announces once, and PostgreSQL folds repeated notifications of one transaction into one.
CREATE FUNCTION "announce_public_data_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('public_data_changed', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "District_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "District"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "Subdistrict_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Subdistrict"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "Community_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Community"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "RoleAssignment_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RoleAssignment"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "Provider_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Provider"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "ProviderCommunity_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ProviderCommunity"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "Service_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Service"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "ServiceCommunity_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ServiceCommunity"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "TerritoryDailyStat_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TerritoryDailyStat"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "TerritoryAttendance_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TerritoryAttendance"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "TerritoryMonthlyPersons_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TerritoryMonthlyPersons"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "Activity_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Activity"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "ActivityProvider_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActivityProvider"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();

CREATE TRIGGER "ActivityNeed_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ActivityNeed"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();
