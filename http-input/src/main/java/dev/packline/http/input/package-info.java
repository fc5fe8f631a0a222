/**
 * The one strict path for what arrives over HTTP, shared by every Packline app that takes input
 * (the producer API and the update API; console forms as they land). Adopting it is
 * four steps:
 *
 * <pre>{@code
 * HttpLimits limits = HttpLimits.defaults(maxBodyBytes);
 * ConnectionDeadlines deadlines = new ConnectionDeadlines(limits);                    // close it after the server
 * WebServer server = limits.applyTo(WebServer.builder(), deadlines)                   // sizes, timeouts,
 *         .routing(r -> {                                                             // the server's own refusals as JSON
 *             r.addFilter(deadlines.filter());                                        // slow and silent clients: first
 *             r.addFilter(new FramingFilter());                                       // framing, unread bodies
 *             r.post("/things", handler);
 *         }).build();
 *
 * // in a handler:
 * ObjectNode root = new JsonBody(JsonBody.Limits.defaults()).object(RequestBody.read(req, maxBodyBytes));
 * List<InputProblem> problems = new ArrayList<>();
 * JsonFields fields = new JsonFields(root, problems).only(KNOWN).required(REQUIRED);
 * String name = new NameRule(100).normalise("name", fields.text("name"), problems);
 * long limit = AsciiParsers.wholeNumber("limit", req.query().get("limit"), 1, 100);
 * if (!problems.isEmpty()) throw new InputRefusedException(400, problems, false);
 * }</pre>
 *
 * <p>Every refusal is an {@link dev.packline.http.input.InputRefusedException} with its status and
 * problems; the app turns it into its error answer with {@link dev.packline.http.input.ErrorBody}
 * (and sets {@code Connection: close} when {@code closeConnection()} says so). docs/api.md
 * ("Input rules") states the rules these classes enforce.
 */
package dev.packline.http.input;
