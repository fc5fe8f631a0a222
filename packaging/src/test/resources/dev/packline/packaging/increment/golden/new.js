/*! demo bundle v1.1.0 | MIT */
!function(e,t){"use strict";var n={name:"包线",greet:function(s){return"你好, "+s+" 👋🎉"},version:"1.1.0",tabs:"\t\"quoted\"\\"};function o(a){for(var i=0;i<a.length;i++)e.console.log(n.greet(a[i]))}t.demo=n;t.run=o}(window,window.exports||{});
var table=["alpha","beta","gamma","delta","epsilon","zeta","eta","theta","iota","kappa","lambda","mu","nu"];
