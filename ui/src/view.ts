// What a page of the dashboard gives back to the router: a way to stop its streams and timers.
export interface View {
  close(): void;
}
