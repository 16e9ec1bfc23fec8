/** The bot was added to a group, or a user opened the p2p chat with it for the first time. */
export interface ChatOpened {
  botId: string;
  /** The event's id, which the channel keeps across re-deliveries. */
  eventId: string;
  chatId: string;
  chatType: "p2p" | "group";
}
