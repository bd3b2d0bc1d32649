package eddy.reference;

/**
 * Nexmark's records (bench/nexmark/SPEC.md) and the seed job's reading, as Flink POJOs: public
 * fields and a no-argument constructor, so Flink serializes them with its PojoSerializer.
 */
public final class Model {
  private Model() {}

  public static class Person {
    public long id;
    public String name;
    public String emailAddress;
    public String creditCard;
    public String city;
    public String state;
    public long dateTime;
    public String extra;

    public Person() {}
  }

  public static class Auction {
    public long id;
    public String itemName;
    public String description;
    public long initialBid;
    public long reserve;
    public long dateTime;
    public long expires;
    public long seller;
    public long category;
    public String extra;

    public Auction() {}
  }

  public static class Bid {
    public long auction;
    public long bidder;
    public long price;
    public String channel;
    public String url;
    public long dateTime;
    public String extra;

    public Bid() {}

    void copyFrom(Bid b) {
      auction = b.auction;
      bidder = b.bidder;
      price = b.price;
      channel = b.channel;
      url = b.url;
      dateTime = b.dateTime;
      extra = b.extra;
    }
  }

  /** Records that carry a creation stamp (latency mode only), in epoch microseconds. */
  public interface Stamped {
    long stampMicros();
  }

  /** A bid's auction with the event's creation stamp: the record type of q5 in latency mode. */
  public static class StampedAuction implements Stamped {
    public long auction;
    public long stamp;

    public StampedAuction() {}

    public StampedAuction(long auction, long stamp) {
      this.auction = auction;
      this.stamp = stamp;
    }

    @Override
    public long stampMicros() {
      return stamp;
    }
  }

  /**
   * One Nexmark event: exactly one of the three fields is set. {@code stamp} is the creation stamp
   * in latency mode (0 otherwise); events never cross a network channel in these jobs (every query
   * maps them to a person, auction or bid before a shuffle), so it costs nothing on the wire.
   */
  public static class Event {
    public Person person;
    public Auction auction;
    public Bid bid;
    public long stamp;

    public Event() {}

    public String kind() {
      return person != null ? "person" : auction != null ? "auction" : "bid";
    }

    public long dateTime() {
      return person != null ? person.dateTime : auction != null ? auction.dateTime : bid.dateTime;
    }
  }

  /** The seed job's sensor reading {device_id, temp, ts}. */
  public static class Reading {
    public String device_id;
    public double temp;
    public long ts;

    public Reading() {}

    public Reading(String deviceId, double temp, long ts) {
      this.device_id = deviceId;
      this.temp = temp;
      this.ts = ts;
    }
  }

  /** A reading with its creation stamp: the seed job's record type in latency mode. */
  public static class StampedReading extends Reading implements Stamped {
    public long stamp;

    public StampedReading() {}

    public StampedReading(String deviceId, double temp, long ts, long stamp) {
      super(deviceId, temp, ts);
      this.stamp = stamp;
    }

    @Override
    public long stampMicros() {
      return stamp;
    }
  }
}
