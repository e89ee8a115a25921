// Bare Kestrel minimal API answering a constant RCML document: the ceiling AppServer's routes are compared with.
// Same host defaults as AppServer (WebApplication.CreateBuilder; the bench runs it in Production with logging at Warning).
const string Rcml = "<Response><Dial action=\"http://localhost:5080/dial-action\"><Client>alice</Client></Dial></Response>";

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/rcml", () => Results.Text(Rcml, "application/xml; charset=utf-8"));
app.Run();
