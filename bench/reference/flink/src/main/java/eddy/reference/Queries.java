package eddy.reference;

import eddy.reference.Model.Auction;
import eddy.reference.Model.Bid;
import eddy.reference.Model.Event;
import eddy.reference.Model.Person;
import eddy.reference.Model.Reading;
import eddy.reference.Model.StampedAuction;
import eddy.reference.Model.StampedReading;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.CoGroupFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.tuple.Tuple5;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The queries of bench/nexmark/SPEC.md and the seed sensor job, in Flink's DataStream API. Each
 * returns its result stream and the formatter that turns a result into its output line (applied
 * only with --output; the benchmark sink counts the result records). Records are cut down to the
 * fields a query reads before they cross a shuffle (tuples or a boxed long), as eddy's queries do
 * and as Flink SQL's planner does for Nexmark (projection push-down).
 */
public final class Queries {
  private Queries() {}

  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(4);

  /** A query's result stream and its line formatter (which may read the record timestamp). */
  public record Job<R>(DataStream<R> results, ProcessFunction<R, String> format) {}

  public record Options(long events, long rate, int devices, double rateLimit) {
    boolean latency() {
      return rateLimit > 0;
    }
  }

  static <R> ProcessFunction<R, String> lines(SerializableFormatter<R> f) {
    return new ProcessFunction<>() {
      @Override
      public void processElement(R value, Context ctx, Collector<String> out) {
        out.collect(f.format(value, ctx.timestamp()));
      }
    };
  }

  @FunctionalInterface
  interface SerializableFormatter<R> extends java.io.Serializable {
    String format(R value, Long timestamp);
  }

  public static Job<?> build(String query, StreamExecutionEnvironment env, Options o) {
    if (query.equals("seed")) return seed(env, o);
    DataStream<Event> events = nexmarkEvents(env, o);
    return switch (query) {
      case "q0" -> q0(events);
      case "q1" -> q1(events);
      case "q2" -> q2(events);
      case "q3" -> q3(events);
      case "q5" -> o.latency() ? q5(stampedBidAuctions(events), a -> a.auction, true) : q5(bidAuctions(events), a -> a, false);
      case "q7" -> q7(events);
      case "q8" -> q8(events);
      case "q11" -> q11(events);
      default -> throw new IllegalArgumentException("unknown query " + query + " (q0 q1 q2 q3 q5 q7 q8 q11 seed)");
    };
  }

  // ---- sources ----

  static DataStream<Event> nexmarkEvents(StreamExecutionEnvironment env, Options o) {
    long rate = o.rate();
    GeneratorSource.Generator<Event> gen = (n, rnd, stamp) -> {
      Event e = Nexmark.event(n, rate, rnd);
      e.stamp = stamp;
      return e;
    };
    WatermarkStrategy<Event> wm = WatermarkStrategy.<Event>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
        .withTimestampAssigner((e, ts) -> e.dateTime());
    return env.fromSource(new GeneratorSource<>(o.events(), o.rateLimit(), gen), wm, "Nexmark Source", TypeInformation.of(Event.class));
  }

  static DataStream<Bid> bids(DataStream<Event> events) {
    return events.<Bid>flatMap((e, out) -> {
      if (e.bid != null) out.collect(e.bid);
    }).returns(Bid.class).name("Bids");
  }

  /** Each bid's auction (q5). */
  static DataStream<Long> bidAuctions(DataStream<Event> events) {
    return events.<Long>flatMap((e, out) -> {
      if (e.bid != null) out.collect(e.bid.auction);
    }).returns(Types.LONG).name("q5 Bid auctions");
  }

  /** Each bid's auction with the event's creation stamp (q5 in latency mode). */
  static DataStream<StampedAuction> stampedBidAuctions(DataStream<Event> events) {
    return events.<StampedAuction>flatMap((e, out) -> {
      if (e.bid != null) out.collect(new StampedAuction(e.bid.auction, e.stamp));
    }).returns(StampedAuction.class).name("q5 Stamped bid auctions");
  }

  // ---- q0: pass-through ----

  static Job<Event> q0(DataStream<Event> events) {
    DataStream<Event> out = events.map(e -> e).returns(Event.class).name("q0 Pass-through");
    return new Job<>(out, lines((e, ts) -> e.person != null ? "person," + e.person.id
        : e.auction != null ? "auction," + e.auction.id
        : "bid," + e.bid.auction + ',' + e.bid.bidder + ',' + e.bid.price));
  }

  // ---- q1: currency conversion (integer euros) ----

  static Job<Bid> q1(DataStream<Event> events) {
    DataStream<Bid> out = bids(events).map(b -> {
      Bid e = new Bid();
      e.copyFrom(b);
      e.price = Math.floorDiv(b.price * 908, 1000);
      return e;
    }).returns(Bid.class).name("q1 Euros");
    return new Job<>(out, lines((b, ts) -> b.auction + "," + b.bidder + ',' + b.price + ',' + b.dateTime));
  }

  // ---- q2: selection ----

  /** (auction, price). */
  static Job<Tuple2<Long, Long>> q2(DataStream<Event> events) {
    DataStream<Tuple2<Long, Long>> out = bids(events).filter(b -> b.auction % 123 == 0)
        .map(b -> Tuple2.of(b.auction, b.price)).returns(Types.TUPLE(Types.LONG, Types.LONG)).name("q2 Selection");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1));
  }

  // ---- q3: local item suggestion, an unbounded incremental join ----

  /** Persons cut down to (id, name, city, state); auctions to (id, seller). */
  static Job<Tuple4<String, String, String, Long>> q3(DataStream<Event> events) {
    DataStream<Tuple4<Long, String, String, String>> persons = events.<Tuple4<Long, String, String, String>>flatMap((e, out) -> {
      Person p = e.person;
      if (p != null && (p.state.equals("OR") || p.state.equals("ID") || p.state.equals("CA"))) out.collect(Tuple4.of(p.id, p.name, p.city, p.state));
    }).returns(Types.TUPLE(Types.LONG, Types.STRING, Types.STRING, Types.STRING)).name("q3 Persons OR ID CA");
    DataStream<Tuple2<Long, Long>> auctions = events.<Tuple2<Long, Long>>flatMap((e, out) -> {
      if (e.auction != null && e.auction.category == 10) out.collect(Tuple2.of(e.auction.id, e.auction.seller));
    }).returns(Types.TUPLE(Types.LONG, Types.LONG)).name("q3 Auctions category 10");
    DataStream<Tuple4<String, String, String, Long>> out = persons.keyBy(p -> p.f0, Types.LONG)
        .connect(auctions.keyBy(a -> a.f1, Types.LONG))
        .process(new Q3Join())
        .returns(new TypeHint<Tuple4<String, String, String, Long>>() {})
        .name("q3 Join");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1 + ',' + t.f2 + ',' + t.f3));
  }

  /** Keyed by person id = seller: the person (id, name, city, state) once seen, the auction ids that came before it. */
  static final class Q3Join extends KeyedCoProcessFunction<Long, Tuple4<Long, String, String, String>, Tuple2<Long, Long>, Tuple4<String, String, String, Long>> {
    private transient ValueState<Tuple4<Long, String, String, String>> person;
    private transient ListState<Long> pending;

    @Override
    public void open(OpenContext openContext) {
      person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", Types.TUPLE(Types.LONG, Types.STRING, Types.STRING, Types.STRING)));
      pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-auctions", Types.LONG));
    }

    @Override
    public void processElement1(Tuple4<Long, String, String, String> p, Context ctx, Collector<Tuple4<String, String, String, Long>> out) throws Exception {
      person.update(Tuple4.of(p.f0, p.f1, p.f2, p.f3)); // a copy: with object reuse the input tuple is recycled
      Iterable<Long> waiting = pending.get();
      if (waiting != null) {
        for (Long auctionId : waiting) out.collect(Tuple4.of(p.f1, p.f2, p.f3, auctionId));
        pending.clear();
      }
    }

    @Override
    public void processElement2(Tuple2<Long, Long> a, Context ctx, Collector<Tuple4<String, String, String, Long>> out) throws Exception {
      Tuple4<Long, String, String, String> p = person.value();
      if (p != null) out.collect(Tuple4.of(p.f1, p.f2, p.f3, a.f0));
      else pending.add(a.f0);
    }
  }

  // ---- q5: hot items ----

  @SuppressWarnings({"unchecked", "rawtypes"})
  /** q5 over bids cut down to {@code B} (the auction, or in latency mode the auction and the stamp). */
  static <B> Job<Tuple3<Long, Long, Long>> q5(DataStream<B> bids, KeySelector<B, Long> auctionOf, boolean measure) {
    WindowAssigner<Object, TimeWindow> sliding = SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(2));
    WindowAssigner<Object, TimeWindow> assigner = measure ? new LatencyAssigner(sliding) : sliding;
    DataStream<Tuple3<Long, Long, Long>> counts = bids.keyBy(auctionOf, Types.LONG)
        .window((WindowAssigner) assigner)
        .aggregate(new CountBids<B>(), new AuctionCount(), Types.LONG, Types.LONG,
            new TypeHint<Tuple3<Long, Long, Long>>() {}.getTypeInfo())
        .name("q5 Bids per auction");
    DataStream<Tuple3<Long, Long, Long>> out = counts.keyBy(t -> t.f0, Types.LONG)
        .process(new HottestPerWindow())
        .returns(new TypeHint<Tuple3<Long, Long, Long>>() {})
        .name("q5 Hottest per window");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1 + ',' + t.f2));
  }

  static final class CountBids<T> implements AggregateFunction<T, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(T value, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** (windowEnd, auction, count). */
  static final class AuctionCount extends ProcessWindowFunction<Long, Tuple3<Long, Long, Long>, Long, TimeWindow> {
    @Override
    public void process(Long auction, Context ctx, Iterable<Long> counts, Collector<Tuple3<Long, Long, Long>> out) {
      out.collect(Tuple3.of(ctx.window().getEnd(), auction, counts.iterator().next()));
    }
  }

  /**
   * Keyed by window end: the highest count so far and the auctions that have it; the counts of a
   * window carry its max timestamp (end - 1) and all arrive before the watermark passes it, when
   * the timer emits them.
   */
  static final class HottestPerWindow extends KeyedProcessFunction<Long, Tuple3<Long, Long, Long>, Tuple3<Long, Long, Long>> {
    private transient ValueState<Long> max;
    private transient ListState<Long> auctions;

    @Override
    public void open(OpenContext openContext) {
      max = getRuntimeContext().getState(new ValueStateDescriptor<>("max", Types.LONG));
      auctions = getRuntimeContext().getListState(new ListStateDescriptor<>("auctions", Types.LONG));
    }

    @Override
    public void processElement(Tuple3<Long, Long, Long> c, Context ctx, Collector<Tuple3<Long, Long, Long>> out) throws Exception {
      Long best = max.value();
      if (best == null) ctx.timerService().registerEventTimeTimer(c.f0 - 1);
      if (best == null || c.f2 > best) {
        max.update(c.f2);
        auctions.clear();
        auctions.add(c.f1);
      } else if (c.f2.equals(best)) {
        auctions.add(c.f1);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tuple3<Long, Long, Long>> out) throws Exception {
      long windowEnd = ctx.getCurrentKey();
      long count = max.value();
      for (Long auction : auctions.get()) out.collect(Tuple3.of(windowEnd, auction, count));
      max.clear();
      auctions.clear();
    }
  }

  // ---- q7: highest bid per 10 s tumbling window ----

  /** Highest price; on a tie the smallest bidder, then auction, then dateTime. */
  static boolean beats(long priceA, long bidderA, long auctionA, long timeA, long priceB, long bidderB, long auctionB, long timeB) {
    if (priceA != priceB) return priceA > priceB;
    if (bidderA != bidderB) return bidderA < bidderB;
    if (auctionA != auctionB) return auctionA < auctionB;
    return timeA < timeB;
  }

  /** (windowEnd, auction, bidder, price, dateTime), over bids cut down to (auction, bidder, price, dateTime). */
  static Job<Tuple5<Long, Long, Long, Long, Long>> q7(DataStream<Event> events) {
    TypeInformation<Tuple5<Long, Long, Long, Long, Long>> type = new TypeHint<Tuple5<Long, Long, Long, Long, Long>>() {}.getTypeInfo();
    DataStream<Tuple4<Long, Long, Long, Long>> bids = events.<Tuple4<Long, Long, Long, Long>>flatMap((e, out) -> {
      if (e.bid != null) out.collect(Tuple4.of(e.bid.auction, e.bid.bidder, e.bid.price, e.bid.dateTime));
    }).returns(Types.TUPLE(Types.LONG, Types.LONG, Types.LONG, Types.LONG)).name("q7 Bids");
    ReduceFunction<Tuple4<Long, Long, Long, Long>> highest = (a, b) -> beats(b.f2, b.f1, b.f0, b.f3, a.f2, a.f1, a.f0, a.f3) ? b : a;
    DataStream<Tuple5<Long, Long, Long, Long, Long>> perAuction = bids.keyBy(b -> b.f0, Types.LONG)
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
        .reduce(highest, new ProcessWindowFunction<Tuple4<Long, Long, Long, Long>, Tuple5<Long, Long, Long, Long, Long>, Long, TimeWindow>() {
          @Override
          public void process(Long key, Context ctx, Iterable<Tuple4<Long, Long, Long, Long>> best, Collector<Tuple5<Long, Long, Long, Long, Long>> out) {
            Tuple4<Long, Long, Long, Long> b = best.iterator().next();
            out.collect(Tuple5.of(ctx.window().getEnd(), b.f0, b.f1, b.f2, b.f3));
          }
        }, type)
        .name("q7 Highest bid per auction");
    ReduceFunction<Tuple5<Long, Long, Long, Long, Long>> highestOfAll =
        (a, b) -> beats(b.f3, b.f2, b.f1, b.f4, a.f3, a.f2, a.f1, a.f4) ? b : a;
    DataStream<Tuple5<Long, Long, Long, Long, Long>> out = perAuction.keyBy(t -> t.f0, Types.LONG)
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
        .reduce(highestOfAll)
        .returns(type)
        .name("q7 Highest bid");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1 + ',' + t.f2 + ',' + t.f3));
  }

  // ---- q8: new users, a window join ----

  /** Persons cut down to (id, name, dateTime), auctions to their seller. */
  static Job<Tuple3<Long, String, Long>> q8(DataStream<Event> events) {
    DataStream<Tuple3<Long, String, Long>> persons = events.<Tuple3<Long, String, Long>>flatMap((e, out) -> {
      if (e.person != null) out.collect(Tuple3.of(e.person.id, e.person.name, e.person.dateTime));
    }).returns(Types.TUPLE(Types.LONG, Types.STRING, Types.LONG)).name("q8 Persons");
    DataStream<Long> sellers = events.<Long>flatMap((e, out) -> {
      if (e.auction != null) out.collect(e.auction.seller);
    }).returns(Types.LONG).name("q8 Auction sellers");
    DataStream<Tuple3<Long, String, Long>> out = persons.coGroup(sellers)
        .where(p -> p.f0, Types.LONG)
        .equalTo(seller -> seller, Types.LONG)
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
        .apply(new NewUsers(), new TypeHint<Tuple3<Long, String, Long>>() {}.getTypeInfo())
        .name("q8 New users");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1 + ',' + t.f2));
  }

  /** One (person, window) line when the person's window also holds an auction they sell. */
  static final class NewUsers implements CoGroupFunction<Tuple3<Long, String, Long>, Long, Tuple3<Long, String, Long>> {
    @Override
    public void coGroup(Iterable<Tuple3<Long, String, Long>> persons, Iterable<Long> sellers, Collector<Tuple3<Long, String, Long>> out) {
      if (!sellers.iterator().hasNext()) return;
      for (Tuple3<Long, String, Long> p : persons) {
        out.collect(Tuple3.of(p.f0, p.f1, TimeWindow.getWindowStartWithOffset(p.f2, 0, 10_000)));
      }
    }
  }

  // ---- q11: user sessions ----

  static Job<Tuple4<Long, Long, Long, Long>> q11(DataStream<Event> events) {
    DataStream<Long> bidders = events.<Long>flatMap((e, out) -> {
      if (e.bid != null) out.collect(e.bid.bidder);
    }).returns(Types.LONG).name("q11 Bidders");
    DataStream<Tuple4<Long, Long, Long, Long>> out = bidders.keyBy(b -> b, Types.LONG)
        .window(EventTimeSessionWindows.withGap(Duration.ofSeconds(10)))
        .aggregate(new CountBids<Long>(), new ProcessWindowFunction<Long, Tuple4<Long, Long, Long, Long>, Long, TimeWindow>() {
          @Override
          public void process(Long bidder, Context ctx, Iterable<Long> count, Collector<Tuple4<Long, Long, Long, Long>> out) {
            out.collect(Tuple4.of(bidder, count.iterator().next(), ctx.window().getStart(), ctx.window().getEnd()));
          }
        }, Types.LONG, Types.LONG, new TypeHint<Tuple4<Long, Long, Long, Long>>() {}.getTypeInfo())
        .name("q11 Sessions");
    return new Job<>(out, lines((t, ts) -> t.f0 + "," + t.f1 + ',' + t.f2 + ',' + t.f3));
  }

  // ---- the seed job: per device, 10 s windows sliding by 5 s, pairwise-mean reduce ----

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Job<?> seed(StreamExecutionEnvironment env, Options o) {
    long rate = o.rate();
    int devices = o.devices();
    WindowAssigner<Object, TimeWindow> sliding = SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5));
    if (o.latency()) {
      GeneratorSource.Generator<StampedReading> gen = (n, rnd, stamp) -> {
        Reading r = Nexmark.reading(n, rate, devices, rnd);
        return new StampedReading(r.device_id, r.temp, r.ts, stamp);
      };
      WatermarkStrategy<StampedReading> wm = WatermarkStrategy.<StampedReading>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
          .withTimestampAssigner((r, ts) -> r.ts);
      DataStream<StampedReading> out = env
          .fromSource(new GeneratorSource<>(o.events(), o.rateLimit(), gen), wm, "Sensor Readings", TypeInformation.of(StampedReading.class))
          .keyBy(r -> r.device_id, Types.STRING)
          .window((WindowAssigner) new LatencyAssigner(sliding))
          .reduce((ReduceFunction<StampedReading>) (v1, v2) -> new StampedReading(v1.device_id, (v1.temp + v2.temp) / 2, 0, v2.stamp))
          .returns(StampedReading.class)
          .name("Sensor Sliding Window");
      return new Job<>(out, lines((r, ts) -> r.device_id + "," + (ts + 1) + ',' + Math.round(r.temp * 1000)));
    }
    GeneratorSource.Generator<Reading> gen = (n, rnd, stamp) -> Nexmark.reading(n, rate, devices, rnd);
    WatermarkStrategy<Reading> wm = WatermarkStrategy.<Reading>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
        .withTimestampAssigner((r, ts) -> r.ts);
    DataStream<Reading> out = env
        .fromSource(new GeneratorSource<>(o.events(), 0, gen), wm, "Sensor Readings", TypeInformation.of(Reading.class))
        .keyBy(r -> r.device_id, Types.STRING)
        .window((WindowAssigner) sliding)
        .reduce((ReduceFunction<Reading>) (v1, v2) -> new Reading(v1.device_id, (v1.temp + v2.temp) / 2, 0))
        .returns(Reading.class)
        .name("Sensor Sliding Window");
    // A window's result carries the window's max timestamp, end - 1.
    return new Job<>(out, lines((r, ts) -> r.device_id + "," + (ts + 1) + ',' + Math.round(r.temp * 1000)));
  }
}
