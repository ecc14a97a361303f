package io.sluice.demoapi;

import io.sluice.demoapi.Nationality.City;
import java.util.List;

/**
 * The embedded data the generator draws from. Formats follow what randomuser.me 1.4 returns for
 * each nationality (e.g. US ids are SSNs, GB postcodes are strings, DE postcodes are numbers).
 *
 * <p>Order matters: the generator indexes into these lists, so reordering or editing them changes
 * every seed's users. Append, don't reshuffle, if you must change them.
 */
final class Nationalities {

    static final List<Nationality> ALL = List.of(
            new Nationality("US", "United States",
                    List.of(new City("Austin", "Texas"), new City("Portland", "Oregon"),
                            new City("Denver", "Colorado"), new City("Columbus", "Ohio"),
                            new City("Fresno", "California"), new City("Savannah", "Georgia"),
                            new City("Albany", "New York")),
                    List.of("James", "Robert", "Michael", "William", "David", "Joseph", "Brandon", "Tyler"),
                    List.of("Mary", "Jennifer", "Linda", "Susan", "Karen", "Ashley", "Megan", "Holly"),
                    List.of("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wheeler"),
                    List.of("Main St", "Oak Ridge Ln", "Pecan Acres Ln", "Robinson Rd", "Green Rd", "Hickory Creek Dr"),
                    "#####", true, "(###) ###-####", "SSN", "###-##-####"),
            new Nationality("GB", "United Kingdom",
                    List.of(new City("Leeds", "West Yorkshire"), new City("Bristol", "Avon"),
                            new City("Norwich", "Norfolk"), new City("York", "North Yorkshire"),
                            new City("Exeter", "Devon"), new City("Preston", "Lancashire")),
                    List.of("Oliver", "Harry", "George", "Jack", "Charlie", "Alfie", "Freddie", "Callum"),
                    List.of("Olivia", "Amelia", "Isla", "Ava", "Emily", "Poppy", "Sophie", "Ellie"),
                    List.of("Taylor", "Evans", "Walker", "Wright", "Thompson", "Roberts", "Hughes", "Clarke"),
                    List.of("High Street", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue", "The Crescent"),
                    "A## #AA", false, "0##### ### ###", "NINO", "AA ## ## ## A"),
            new Nationality("AU", "Australia",
                    List.of(new City("Perth", "Western Australia"), new City("Hobart", "Tasmania"),
                            new City("Geelong", "Victoria"), new City("Cairns", "Queensland"),
                            new City("Wollongong", "New South Wales"), new City("Darwin", "Northern Territory")),
                    List.of("Jack", "Noah", "Lachlan", "Cooper", "Riley", "Mitchell", "Hayden", "Bailey"),
                    List.of("Charlotte", "Chloe", "Mia", "Zoe", "Ruby", "Jessica", "Kylie", "Tahlia"),
                    List.of("Wilson", "Martin", "Anderson", "White", "Harris", "Kelly", "Ryan", "Young"),
                    List.of("Bridge Road", "Dalhousie St", "Karen Dr", "Mockingbird Hill", "Lakeview St", "Spring St"),
                    "####", true, "0#-####-####", "TFN", "#########"),
            new Nationality("CA", "Canada",
                    List.of(new City("Halifax", "Nova Scotia"), new City("Victoria", "British Columbia"),
                            new City("Regina", "Saskatchewan"), new City("Kingston", "Ontario"),
                            new City("Laval", "Québec"), new City("Red Deer", "Alberta")),
                    List.of("Liam", "Ethan", "Logan", "Nathan", "Owen", "Mathis", "Felix", "Dylan"),
                    List.of("Emma", "Léa", "Abigail", "Maya", "Alicia", "Chloé", "Madison", "Juliette"),
                    List.of("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"),
                    List.of("Dundas Rd", "Pine Rd", "Stanley Way", "Lakeshore Rd", "King St", "Richmond Ave"),
                    "A#A #A#", false, "A##-###-####", "SIN", "### ### ###"),
            new Nationality("DE", "Germany",
                    List.of(new City("Leipzig", "Sachsen"), new City("Freiburg", "Baden-Württemberg"),
                            new City("Münster", "Nordrhein-Westfalen"), new City("Rostock", "Mecklenburg-Vorpommern"),
                            new City("Kassel", "Hessen"), new City("Regensburg", "Bayern")),
                    List.of("Lukas", "Jonas", "Felix", "Maximilian", "Jan", "Tobias", "Matthias", "Uwe"),
                    List.of("Anna", "Lena", "Leonie", "Hannah", "Katrin", "Monika", "Sabine", "Mia"),
                    List.of("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Krüger"),
                    List.of("Bahnhofstraße", "Gartenstraße", "Lindenstraße", "Schulstraße", "Am Sportplatz", "Birkenweg"),
                    "#####", true, "0###-#######", "SVNR", "## ###### A ###"),
            new Nationality("FR", "France",
                    List.of(new City("Lyon", "Rhône"), new City("Nantes", "Loire-Atlantique"),
                            new City("Rennes", "Ille-et-Vilaine"), new City("Dijon", "Côte-d'Or"),
                            new City("Toulouse", "Haute-Garonne"), new City("Limoges", "Haute-Vienne")),
                    List.of("Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Théo", "Nathan", "Raphaël"),
                    List.of("Camille", "Manon", "Inès", "Louise", "Jade", "Lina", "Margaux", "Élise"),
                    List.of("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"),
                    List.of("Rue de la Gare", "Rue du Château", "Avenue Vauban", "Rue Pasteur", "Place du 8 Février 1962",
                            "Rue Saint-Georges"),
                    "#####", true, "0#-##-##-##-##", "INSEE", "#############"),
            new Nationality("NL", "Netherlands",
                    List.of(new City("Utrecht", "Utrecht"), new City("Groningen", "Groningen"),
                            new City("Haarlem", "Noord-Holland"), new City("Tilburg", "Noord-Brabant"),
                            new City("Zwolle", "Overijssel"), new City("Delft", "Zuid-Holland")),
                    List.of("Daan", "Sem", "Bram", "Thijs", "Ruben", "Jesse", "Stijn", "Joep"),
                    List.of("Julia", "Sanne", "Fleur", "Lotte", "Noor", "Femke", "Anouk", "Iris"),
                    List.of("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Mulder"),
                    List.of("Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsweg", "Julianastraat", "Beukenlaan"),
                    "#### AA", false, "(0##) ###-####", "BSN", "########"),
            new Nationality("ES", "Spain",
                    List.of(new City("Valencia", "Comunidad Valenciana"), new City("Bilbao", "País Vasco"),
                            new City("Granada", "Andalucía"), new City("Zaragoza", "Aragón"),
                            new City("Salamanca", "Castilla y León"), new City("Girona", "Cataluña")),
                    List.of("Hugo", "Pablo", "Álvaro", "Mario", "Diego", "Javier", "Iker", "Sergio"),
                    List.of("Lucía", "Martina", "Paula", "Carmen", "Alba", "Nerea", "Sara", "Irene"),
                    List.of("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Ortiz"),
                    List.of("Calle Mayor", "Calle del Prado", "Avenida de Andalucía", "Calle de Alcalá", "Paseo de Zorrilla",
                            "Calle de la Luna"),
                    "#####", true, "9##-###-###", "DNI", "########-A"));

    private Nationalities() {
    }
}
