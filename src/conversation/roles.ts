/** A role preset (Feishu-OpenAI's `role_list.yaml` entry): `/roles` lists them by tag. */
export interface RolePreset {
  title: string;
  /** The system prompt the role starts a conversation with. */
  content: string;
  tags: string[];
}

/** Tags in first-seen order, each with its roles; a role without tags is under `other`. */
export function rolesByTag(roles: readonly RolePreset[], other: string): Map<string, RolePreset[]> {
  const byTag = new Map<string, RolePreset[]>();
  for (const role of roles) {
    for (const tag of role.tags.length > 0 ? role.tags : [other]) {
      byTag.set(tag, [...(byTag.get(tag) ?? []), role]);
    }
  }
  return byTag;
}
