package io.livepatch4j.bench.prepared.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.livepatch4j.bench.prepared.Workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Jackson databind as a REST service uses it: each operation serializes an order (customer, address,
 * 1 to 24 line items, attributes, an enum, escaped text) to JSON bytes, parses them back into the
 * object graph, and reads the same bytes as a tree to total the items, as a gateway would.
 */
public final class JacksonWorkload implements Workload {

    private static final int ORDERS = 64;
    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final List<Order> orders = new ArrayList<>(ORDERS);

    public JacksonWorkload() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < ORDERS; i++) {
            orders.add(Order.random(i, random));
        }
    }

    @Override
    public long op(long i) {
        Order order = orders.get((int) (i % ORDERS));
        try {
            byte[] json = mapper.writeValueAsBytes(order);
            Order back = mapper.readValue(json, Order.class);
            JsonNode tree = mapper.readTree(json);
            long cents = 0;
            for (JsonNode item : tree.path("items")) {
                cents += item.path("quantity").asLong() * item.path("unitPriceCents").asLong();
            }
            return json.length * 31L + cents + back.getItems().size() * 7L + back.getCustomer().getAddress().city().hashCode()
                + back.getStatus().ordinal() + back.getAttributes().size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    public enum Status { NEW, PAID, SHIPPED, DELIVERED, RETURNED }

    public record Address(String street, String city, String postalCode, String country) {
    }

    /** A bean, as most Jackson models are: getters and setters. */
    public static final class Customer {
        private long id;
        private String name;
        private String email;
        private Address address;
        private List<String> segments = new ArrayList<>();

        public long getId() { return id; }
        public void setId(long id) { this.id = id; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email; }
        public Address getAddress() { return address; }
        public void setAddress(Address address) { this.address = address; }
        public List<String> getSegments() { return segments; }
        public void setSegments(List<String> segments) { this.segments = segments; }
    }

    public static final class LineItem {
        private String sku;
        private String title;
        private int quantity;
        private long unitPriceCents;
        private double discount;
        private boolean giftWrapped;

        public String getSku() { return sku; }
        public void setSku(String sku) { this.sku = sku; }
        public String getTitle() { return title; }
        public void setTitle(String title) { this.title = title; }
        public int getQuantity() { return quantity; }
        public void setQuantity(int quantity) { this.quantity = quantity; }
        public long getUnitPriceCents() { return unitPriceCents; }
        public void setUnitPriceCents(long unitPriceCents) { this.unitPriceCents = unitPriceCents; }
        public double getDiscount() { return discount; }
        public void setDiscount(double discount) { this.discount = discount; }
        public boolean isGiftWrapped() { return giftWrapped; }
        public void setGiftWrapped(boolean giftWrapped) { this.giftWrapped = giftWrapped; }
    }

    public static final class Order {
        private String id;
        private long createdAtMillis;
        private Status status;
        private Customer customer;
        private List<LineItem> items = new ArrayList<>();
        private Map<String, String> attributes = new LinkedHashMap<>();
        private String note;

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public long getCreatedAtMillis() { return createdAtMillis; }
        public void setCreatedAtMillis(long createdAtMillis) { this.createdAtMillis = createdAtMillis; }
        public Status getStatus() { return status; }
        public void setStatus(Status status) { this.status = status; }
        public Customer getCustomer() { return customer; }
        public void setCustomer(Customer customer) { this.customer = customer; }
        public List<LineItem> getItems() { return items; }
        public void setItems(List<LineItem> items) { this.items = items; }
        public Map<String, String> getAttributes() { return attributes; }
        public void setAttributes(Map<String, String> attributes) { this.attributes = attributes; }
        public String getNote() { return note; }
        public void setNote(String note) { this.note = note; }

        static Order random(int n, SplittableRandom r) {
            String[] cities = {"Lyon", "Zürich", "São Paulo", "Kraków", "Osaka", "Austin"};
            Order o = new Order();
            o.id = "ord-" + (100_000 + n);
            o.createdAtMillis = 1_700_000_000_000L + r.nextLong(10_000_000_000L);
            o.status = Status.values()[r.nextInt(Status.values().length)];
            Customer c = new Customer();
            c.id = r.nextLong(1_000_000);
            c.name = "Customer \"" + n + "\" O'Neil";
            c.email = "customer" + n + "@example.com";
            c.address = new Address(r.nextInt(900) + " Rue de la Paix\napt " + r.nextInt(50),
                cities[r.nextInt(cities.length)], Integer.toString(10_000 + r.nextInt(89_999)), "FR");
            for (int s = r.nextInt(4); s >= 0; s--) {
                c.segments.add("segment-" + r.nextInt(20));
            }
            o.customer = c;
            for (int k = 1 + r.nextInt(24); k > 0; k--) {
                LineItem li = new LineItem();
                li.sku = "SKU-" + Long.toString(r.nextLong(1L << 40), 36).toUpperCase(java.util.Locale.ROOT);
                li.title = "Item \u00e9l\u00e9gant #" + r.nextInt(1000) + " <b>bold</b> & \"quoted\"";
                li.quantity = 1 + r.nextInt(9);
                li.unitPriceCents = 99 + r.nextInt(50_000);
                li.discount = r.nextInt(4) * 0.05;
                li.giftWrapped = r.nextBoolean();
                o.items.add(li);
            }
            for (int a = r.nextInt(6); a >= 0; a--) {
                o.attributes.put("attr" + a, "value-" + r.nextInt(1000));
            }
            o.note = r.nextBoolean() ? null : "Leave at the door \u2013 ring twice \ud83d\udd14";
            return o;
        }
    }
}
