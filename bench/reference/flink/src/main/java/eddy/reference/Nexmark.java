package eddy.reference;

import eddy.reference.Model.Auction;
import eddy.reference.Model.Bid;
import eddy.reference.Model.Event;
import eddy.reference.Model.Person;
import eddy.reference.Model.Reading;
import java.io.PrintStream;

/**
 * The Nexmark event generator of bench/nexmark/SPEC.md, and the seed job's reading generator of
 * bench/reference/flink/README.md. Event {@code n} depends on {@code n} (and the rate) only: any
 * subtask can generate any event.
 */
public final class Nexmark {
  private Nexmark() {}

  public static final long BASE_TIME = 1_700_000_000_000L;
  public static final long DEFAULT_RATE = 10_000_000L;

  static final int PERSON_PROPORTION = 1;
  static final int AUCTION_PROPORTION = 3;
  static final int BID_PROPORTION = 46;
  static final int TOTAL = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;
  static final long FIRST_PERSON_ID = 1000;
  static final long FIRST_AUCTION_ID = 1000;
  static final long FIRST_CATEGORY_ID = 10;
  static final int NUM_CATEGORIES = 5;
  static final int HOT_SELLER_RATIO = 4;
  static final int HOT_AUCTION_RATIO = 2;
  static final int HOT_BIDDER_RATIO = 4;
  static final long NUM_ACTIVE_PEOPLE = 1000;
  static final long PERSON_ID_LEAD = 10;
  static final long NUM_IN_FLIGHT_AUCTIONS = 100;
  static final long AUCTION_ID_LEAD = 10;
  static final int CHANNELS = 10_000;
  static final int PERSON_BYTES = 200;
  static final int AUCTION_BYTES = 500;
  static final int BID_BYTES = 100;

  static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
  static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
  static final String[] US_STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
  static final String[] US_CITIES = {"Phoenix", "Los_Angeles", "San_Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"};

  /** Event time of event (or reading) n in ms: BASE_TIME + floor(n * 1000 / rate). */
  public static long dateTime(long n, long rate) {
    return BASE_TIME + Math.floorDiv(n * 1000, rate);
  }

  static long lastBase0PersonId(long n) {
    long epoch = n / TOTAL;
    long offset = n % TOTAL;
    if (offset >= PERSON_PROPORTION) offset = PERSON_PROPORTION - 1;
    return epoch * PERSON_PROPORTION + offset;
  }

  static long lastBase0AuctionId(long n) {
    long epoch = n / TOTAL;
    long offset = n % TOTAL;
    if (offset < PERSON_PROPORTION) {
      epoch--;
      offset = AUCTION_PROPORTION - 1;
    } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
      offset = AUCTION_PROPORTION - 1;
    } else {
      offset -= PERSON_PROPORTION;
    }
    return epoch * AUCTION_PROPORTION + offset;
  }

  static long nextBase0PersonId(long n, Rng rnd) {
    long people = lastBase0PersonId(n) + 1;
    long active = Math.min(people, NUM_ACTIVE_PEOPLE);
    return people - active + rnd.nextInt(active + PERSON_ID_LEAD);
  }

  static long nextBase0AuctionId(long n, Rng rnd) {
    long max = lastBase0AuctionId(n);
    long min = Math.max(max - NUM_IN_FLIGHT_AUCTIONS, 0);
    return min + rnd.nextInt(max - min + 1 + AUCTION_ID_LEAD);
  }

  /** round(10^(nextDouble() * 6) * 100); StrictMath (fdlibm) so the result never depends on the CPU. */
  static long nextPrice(Rng rnd) {
    return Math.round(StrictMath.pow(10.0, rnd.nextDouble() * 6) * 100);
  }

  static String nextString(Rng rnd, int len) {
    char[] chars = new char[len];
    for (int i = 0; i < len; i++) chars[i] = (char) ('a' + rnd.nextInt(26));
    return new String(chars);
  }

  static String extra(Rng rnd, int currentSize, int target) {
    int desired = target + rnd.nextInt(target / 5 + 1) - target / 10;
    return currentSize >= desired ? "" : nextString(rnd, desired - currentSize);
  }

  /** Event n with the given event-time rate, drawing from {@code rnd} (re-seeded here with n). */
  public static Event event(long n, long rate, Rng rnd) {
    rnd.reset(n);
    long time = dateTime(n, rate);
    long offset = n % TOTAL;
    Event e = new Event();
    if (offset < PERSON_PROPORTION) e.person = person(n, time, rnd);
    else if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) e.auction = auction(n, time, rnd);
    else e.bid = bid(n, time, rnd);
    return e;
  }

  static Person person(long n, long time, Rng rnd) {
    Person p = new Person();
    p.id = lastBase0PersonId(n) + FIRST_PERSON_ID;
    String first = FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)];
    p.name = first + ' ' + LAST_NAMES[rnd.nextInt(LAST_NAMES.length)];
    String user = nextString(rnd, 7);
    p.emailAddress = user + '@' + nextString(rnd, 5) + ".com";
    StringBuilder card = new StringBuilder(19);
    for (int i = 0; i < 4; i++) {
      if (i > 0) card.append(' ');
      card.append(1000 + rnd.nextInt(9000));
    }
    p.creditCard = card.toString();
    p.city = US_CITIES[rnd.nextInt(US_CITIES.length)];
    p.state = US_STATES[rnd.nextInt(US_STATES.length)];
    p.dateTime = time;
    int size = p.name.length() + p.emailAddress.length() + p.creditCard.length() + p.city.length() + p.state.length() + 8 * 2;
    p.extra = extra(rnd, size, PERSON_BYTES);
    return p;
  }

  static Auction auction(long n, long time, Rng rnd) {
    Auction a = new Auction();
    a.id = lastBase0AuctionId(n) + FIRST_AUCTION_ID;
    long seller = rnd.nextInt(HOT_SELLER_RATIO) > 0
        ? (lastBase0PersonId(n) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO
        : nextBase0PersonId(n, rnd);
    a.seller = seller + FIRST_PERSON_ID;
    a.category = FIRST_CATEGORY_ID + rnd.nextInt(NUM_CATEGORIES);
    a.initialBid = nextPrice(rnd);
    a.dateTime = time;
    a.expires = time + 10_000 + rnd.nextInt(20_000);
    a.reserve = a.initialBid + nextPrice(rnd);
    a.itemName = nextString(rnd, 8);
    a.description = nextString(rnd, 20);
    int size = a.itemName.length() + a.description.length() + 8 * 7;
    a.extra = extra(rnd, size, AUCTION_BYTES);
    return a;
  }

  static Bid bid(long n, long time, Rng rnd) {
    Bid b = new Bid();
    long auction = rnd.nextInt(HOT_AUCTION_RATIO) > 0
        ? (lastBase0AuctionId(n) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO
        : nextBase0AuctionId(n, rnd);
    b.auction = auction + FIRST_AUCTION_ID;
    long bidder = rnd.nextInt(HOT_BIDDER_RATIO) > 0
        ? (lastBase0PersonId(n) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1
        : nextBase0PersonId(n, rnd);
    b.bidder = bidder + FIRST_PERSON_ID;
    b.price = nextPrice(rnd);
    int c = rnd.nextInt(CHANNELS);
    b.channel = "channel-" + c;
    b.url = "https://www.nexmark.com/" + nextString(rnd, 5) + "/item.htm?query=1&channel_id=" + c;
    b.dateTime = time;
    int size = b.channel.length() + b.url.length() + 8 * 4;
    b.extra = extra(rnd, size, BID_BYTES);
    return b;
  }

  // ---- the seed job's readings (README.md) ----

  public static final int DEFAULT_DEVICES = 1000;
  public static final long DEFAULT_SEED_RATE = 10_000L;

  /** Reading n: device = nextInt(devices), temp = nextInt(4000) / 100, ts = dateTime(n, rate). */
  public static Reading reading(long n, long rate, int devices, Rng rnd) {
    rnd.reset(n);
    String device = "sensor-" + rnd.nextInt(devices);
    double temp = rnd.nextInt(4000) / 100.0;
    return new Reading(device, temp, dateTime(n, rate));
  }

  // ---- JSON lines for diffing the generators (Run --dump N) ----

  public static String json(Event e) {
    StringBuilder s = new StringBuilder(400);
    if (e.person != null) {
      Person p = e.person;
      s.append("{\"kind\":\"person\",\"person\":{\"id\":").append(p.id)
          .append(",\"name\":\"").append(p.name)
          .append("\",\"emailAddress\":\"").append(p.emailAddress)
          .append("\",\"creditCard\":\"").append(p.creditCard)
          .append("\",\"city\":\"").append(p.city)
          .append("\",\"state\":\"").append(p.state)
          .append("\",\"dateTime\":").append(p.dateTime)
          .append(",\"extra\":\"").append(p.extra).append("\"}}");
    } else if (e.auction != null) {
      Auction a = e.auction;
      s.append("{\"kind\":\"auction\",\"auction\":{\"id\":").append(a.id)
          .append(",\"itemName\":\"").append(a.itemName)
          .append("\",\"description\":\"").append(a.description)
          .append("\",\"initialBid\":").append(a.initialBid)
          .append(",\"reserve\":").append(a.reserve)
          .append(",\"dateTime\":").append(a.dateTime)
          .append(",\"expires\":").append(a.expires)
          .append(",\"seller\":").append(a.seller)
          .append(",\"category\":").append(a.category)
          .append(",\"extra\":\"").append(a.extra).append("\"}}");
    } else {
      Bid b = e.bid;
      s.append("{\"kind\":\"bid\",\"bid\":{\"auction\":").append(b.auction)
          .append(",\"bidder\":").append(b.bidder)
          .append(",\"price\":").append(b.price)
          .append(",\"channel\":\"").append(b.channel)
          .append("\",\"url\":\"").append(b.url)
          .append("\",\"dateTime\":").append(b.dateTime)
          .append(",\"extra\":\"").append(b.extra).append("\"}}");
    }
    return s.toString();
  }

  public static String json(Reading r) {
    return "{\"device_id\":\"" + r.device_id + "\",\"temp\":" + jsNumber(r.temp) + ",\"ts\":" + r.ts + "}";
  }

  /** A double as JavaScript's JSON.stringify prints it, for the values nextInt(4000) / 100 takes. */
  static String jsNumber(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return Double.toString(d); // shortest round-trip form, as JS for 0.01 <= |d| < 1e7
  }

  /** Prints the first {@code count} events (or readings) as JSON lines. */
  public static void dump(PrintStream out, String query, long count, long rate, int devices) {
    Rng rnd = new Rng(0);
    for (long n = 0; n < count; n++) {
      out.println("seed".equals(query) ? json(reading(n, rate, devices, rnd)) : json(event(n, rate, rnd)));
    }
  }

  public static void main(String[] args) {
    long count = args.length > 0 ? Long.parseLong(args[0]) : 60;
    dump(System.out, "nexmark", count, DEFAULT_RATE, DEFAULT_DEVICES);
  }
}
