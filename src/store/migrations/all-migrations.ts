import type { Migration } from "kysely";
import type { Dialect } from "../database.js";
import { initialMigration } from "./0001-initial.js";
import { jobDeliveryMigration } from "./0002-job-delivery.js";
import { conversationSettingsMigration } from "./0003-conversation-settings.js";
import { budgetsMigration } from "./0004-budgets.js";
import { pendingFilesMigration } from "./0005-pending-files.js";
import { chatLogSearchMigration } from "./0007-chat-log-search.js";
import { workflowPausesMigration } from "./0008-workflow-pauses.js";

/**
 * Every migration, in order. Listed in code rather than scanned from disk so they run the
 * same from `src/` under vitest and from `dist/` in production. Never rename or reorder an
 * entry: the name is what the migration table records.
 */
export function allMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    "0001_initial": initialMigration(dialect),
    "0002_job_delivery": jobDeliveryMigration(),
    "0003_conversation_settings": conversationSettingsMigration(),
    "0004_budgets": budgetsMigration(),
    "0005_pending_files": pendingFilesMigration(dialect),
    "0007_chat_log_search": chatLogSearchMigration(dialect),
    "0008_workflow_pauses": workflowPausesMigration(),
  };
}
